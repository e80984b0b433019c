// The pre-flight check of a round: the data the launch would freeze, judged against the chosen
// model and settings exactly as the trainers will judge it (lib/ml/data/screen.ts, tokenizer
// only, no TensorFlow). Per stage: how many items it would use, skip (counted per reason, with
// links to the first items) and shorten, and whether the skipped share passes the stage's limit.
// The launch form shows it; the launch refuses a plan that fails it (assertDataTrains). A launch
// that reuses an earlier round's snapshot is judged on that snapshot's items.
import { AppError } from '../errors';
import { createTokenizer } from '../../ml/tokenizer/create';
import { mergeScreens, screenPrompts, screenRankings, screenSft, skipCounts, type Screen } from '../../ml/data/screen';
import { promptBudget } from '../../ml/prompt-budget';
import { describeShape } from '../../shared/model-shape';
import { STAGE_ITEMS, shortenedText, skipLimitProblem, skipReasonText, type DataStage, type SkipReason } from '../../shared/item-problems';
import type { SettingProblem } from '../../shared/stage-config';
import { loadRecords, type RoundData } from '../training/round-data';
import { resolvePlan, type RoundPlan } from './plan';
import { currentRoundItems, type RoundItem } from './round-items';
import { snapshotItems } from './reuse-snapshot';
import type { LaunchRoundInput } from './settings';

/** Links shown per reason; the count says how many more there are. */
export const LINKS_PER_REASON = 10;

export type ItemLink = { itemType: string; itemId: string; href: string };
export type PreflightReason = { reason: SkipReason; text: string; count: number; items: ItemLink[] };
export type PreflightStage = {
  stage: DataStage;
  title: string;
  total: number;
  used: number;
  skipped: number;
  /** Tokens an item has to fit. */
  context: number;
  /** The stage's maxSkipFraction. */
  limit: number;
  reasons: PreflightReason[];
  shortened: { count: number; text: string; items: ItemLink[] };
  /** Why the stage would stop (past its limit, or nothing usable); null when it trains. */
  problem: string | null;
};
export type Preflight = {
  model: { preset: string; context: number; description: string };
  stages: PreflightStage[];
  /** Settings beyond the model (the launch refuses them). */
  settings: SettingProblem[];
  ok: boolean;
};

/** The data's verdict per stage of the plan. */
export function judgeData(plan: RoundPlan, data: RoundData, typeOf: Map<string, string>): PreflightStage[] {
  const tok = createTokenizer(plan.shape.tokenizer);
  const ctx = plan.shape.nPositions;
  const { settings: s } = plan;
  const runs = (k: DataStage) => plan.order.some((o) => o.key === k);
  const out: PreflightStage[] = [];
  const link = (id: string | undefined): ItemLink | null => {
    const itemType = id ? typeOf.get(id) : undefined;
    return id && itemType ? { itemType, itemId: id, href: `/data/${plan.project.id}/items/${itemType}/${id}` } : null;
  };
  const links = (ids: (string | undefined)[]) => ids.map(link).filter((l): l is ItemLink => l !== null).slice(0, LINKS_PER_REASON);
  const view = (sc: Screen<unknown>, limit: number): PreflightStage => ({
    stage: sc.stage,
    title: STAGE_ITEMS[sc.stage].title,
    total: sc.total,
    used: sc.kept.length,
    skipped: sc.skipped.length,
    context: sc.context,
    limit,
    reasons: skipCounts(sc.skipped)
      .sort((a, b) => b.count - a.count)
      .map((c) => ({ reason: c.reason, text: skipReasonText(c.reason, sc.context), count: c.count, items: links(sc.skipped.filter((x) => x.reason === c.reason).map((x) => x.id)) })),
    shortened: { count: sc.shortened.length, text: shortenedText(sc.stage, sc.context), items: links(sc.shortened.map((x) => x.id)) },
    problem: skipLimitProblem(sc.stage, sc.skipped.length, sc.total, skipCounts(sc.skipped), sc.context, limit),
  });
  if (runs('sft')) {
    const len = Math.min(s.sft.maxLength ?? ctx, ctx);
    out.push(view(mergeScreens(screenSft(tok, data.sft, len), screenSft(tok, data.sftHeldOut, len)), s.sft.maxSkipFraction));
  }
  if (runs('rm')) {
    const len = Math.min(s.rm.maxLength ?? ctx, ctx);
    out.push(view(mergeScreens(screenRankings(tok, data.rankings, len), screenRankings(tok, data.rankingsHeldOut, len)), s.rm.maxSkipFraction));
  }
  // DPO trains on the RM's pairs with the same checks; a snapshot without one preference cannot train at all.
  if (runs('dpo')) {
    const len = Math.min(s.dpo.maxLength ?? ctx, ctx);
    const stage = view(mergeScreens(screenRankings(tok, data.rankings, len, 'dpo'), screenRankings(tok, data.rankingsHeldOut, len, 'dpo')), s.dpo.maxSkipFraction);
    out.push({ ...stage, problem: dpoDataProblem(data) ?? stage.problem });
  }
  // PPO samples train-split prompts only; a reply length that leaves no prompt room is a settings problem, reported there.
  if (runs('ppo') && s.ppo.maxNewTokens < ctx) {
    const { promptTokens } = promptBudget(ctx, s.ppo.maxNewTokens, { for: 'training', maxPromptTokens: s.ppo.maxPromptTokens });
    out.push(view(screenPrompts(tok, data.prompts, promptTokens), s.ppo.maxSkipFraction));
  }
  return out;
}

/**
 * Why the data gives DPO nothing to learn from (no ranking, or every one a tie), or null. DPO
 * trains on preferences only: a tie gives no pair, and without a pair there is no loss.
 */
export function dpoDataProblem(data: Pick<RoundData, 'rankings' | 'rankingsHeldOut'>): string | null {
  const all = [...data.rankings, ...data.rankingsHeldOut];
  const preferred = all.filter((r) => r.tiers.filter((t) => t.length > 0).length >= 2).length;
  if (preferred > 0) return null;
  const what = all.length === 0 ? ' has no rankings' : `'s ${all.length} ranking${all.length === 1 ? ' is a tie' : 's are all ties'}`;
  return `DPO needs rankings with at least one preference: this snapshot${what}. Have labelers rank completion sets (at least two tiers), or launch without the dpo stage.`;
}

async function judgeItems(plan: RoundPlan, items: RoundItem[]): Promise<PreflightStage[]> {
  const data = await loadRecords(items);
  return judgeData(plan, data, new Map(items.map((i) => [i.itemId, i.itemType])));
}

/** The pre-flight check of a launch request on the project's data as it is now. */
export async function preflightRound(raw: LaunchRoundInput): Promise<Preflight> {
  const plan = await resolvePlan(raw);
  const items = plan.snapshot ? await snapshotItems(plan.snapshot.id) : await currentRoundItems(plan.project.id);
  const stages = await judgeItems(plan, items);
  return {
    model: { preset: plan.preset, context: plan.shape.nPositions, description: describeShape(plan.shape) },
    stages,
    settings: plan.limitProblems,
    ok: plan.limitProblems.length === 0 && stages.every((x) => x.problem === null),
  };
}

/** Refuses a launch whose frozen items a stage could not train on (past its skip limit, or none usable). */
export async function assertDataTrains(plan: RoundPlan, items: RoundItem[]): Promise<void> {
  const failing = (await judgeItems(plan, items)).filter((x) => x.problem !== null);
  // DPO's missing preference is said as it is: there is no limit to raise.
  const dpo = failing.find((x) => x.stage === 'dpo' && x.problem?.startsWith('DPO needs'));
  if (dpo) throw new AppError('INVALID_INPUT', dpo.problem!, [{ path: 'stages', message: dpo.problem }]);
  if (failing.length) {
    throw new AppError(
      'INVALID_INPUT',
      `Pre-flight check failed. ${failing.map((x) => `${x.title}: ${x.problem}`).join(' ')}`,
      failing.map((x) => ({ path: `settings.${x.stage}.maxSkipFraction`, message: x.problem })),
    );
  }
}
