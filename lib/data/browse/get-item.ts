// Use case: one item of a project by its type and id (the URL /data/{projectId}/items/{type}/{id}).
// An unknown type, an unknown id or an item of another project is a 404.
import { AppError } from '../errors';
import { assertStorableId, ITEM_TYPES, itemNotFound, type ItemType } from './item-common';
import { getConversationItem, type ConversationItem } from './item-conversation';
import { getDemonstrationItem, type DemonstrationItem } from './item-demonstration';
import { getJudgementItem, type JudgementItem } from './item-judgement';
import { getPromptItem, type PromptItem } from './item-prompt';
import { getSetItem, type SetItem } from './item-set';

export type DataItem = PromptItem | SetItem | JudgementItem | DemonstrationItem | ConversationItem;

export function isItemType(type: string): type is ItemType {
  return (ITEM_TYPES as readonly string[]).includes(type);
}

export async function getDataItem(projectId: string, type: string, id: string): Promise<DataItem> {
  assertStorableId('project', projectId);
  assertStorableId(type, id);
  if (!isItemType(type)) throw new AppError('NOT_FOUND', `There is no item type "${type.slice(0, 40)}"; items are ${ITEM_TYPES.join(', ')}.`);
  switch (type) {
    case 'prompt':
      return getPromptItem(projectId, id);
    case 'set':
      return getSetItem(projectId, id);
    case 'judgement':
      return getJudgementItem(projectId, id);
    case 'demonstration':
      return getDemonstrationItem(projectId, id);
    case 'conversation':
      return getConversationItem(projectId, id);
  }
  throw itemNotFound(type, id);
}
