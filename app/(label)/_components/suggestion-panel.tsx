'use client';
// The model's suggestion beside an editor: asking (with Cancel), the suggestion with "Use it"
// (Alt+A) and "Ignore", or why there is none. Used by the demonstration and dialogue editors.
import type { SuggestMode } from '@/lib/shared/collection';
import type { Suggestion } from './use-suggestion';
import styles from './label.module.css';

export function SuggestionPanel(props: {
  mode: SuggestMode;
  available: boolean;
  reason: string | null;
  suggestion: Suggestion | null;
  asking: boolean;
  error: string | null;
  /** Shown when there is nothing to suggest for now (e.g. a user turn is next). */
  idleHint?: string | null;
  /** Label of the accept button ("Use this answer", "Use this turn"). */
  acceptLabel: string;
  /** Label of the ask button ("Suggest an answer", "Suggest assistant turn"). */
  askLabel: string;
  canAsk: boolean;
  onAsk(): void;
  onCancel(): void;
  onAccept(s: Suggestion): void;
  onIgnore(): void;
}) {
  const { mode, available, suggestion, asking, error } = props;
  if (mode === 'OFF') return null;
  return (
    <section className={`card card-muted stack-sm ${styles.suggestion}`} aria-label="Model suggestion" aria-live="polite" data-testid="suggestion-panel">
      <div className="row-between">
        <h3 className="card-title">Suggestion</h3>
        {!suggestion && !asking && (
          <button type="button" className="btn btn-sm" onClick={props.onAsk} disabled={!available || !props.canAsk} aria-describedby={!available ? 'suggest-why' : undefined}>
            {props.askLabel} <kbd>Alt+S</kbd>
          </button>
        )}
      </div>
      {!available ? (
        <p id="suggest-why" className="muted small">
          {props.reason}
        </p>
      ) : asking ? (
        <p className="row small">
          <span className="muted">The model is writing a suggestion…</span>
          <button type="button" className="btn btn-sm btn-ghost" onClick={props.onCancel}>
            Cancel
          </button>
        </p>
      ) : suggestion ? (
        <>
          <p className="muted small">From {suggestion.fromModel}. Use it as a start and edit it, or ignore it: an edited suggestion teaches the model what you changed.</p>
          <div className={styles.suggestionText} data-testid="suggestion-text">
            {suggestion.text || <span className="muted">(the model wrote nothing)</span>}
          </div>
          <div className="row">
            <button type="button" className="btn btn-primary btn-sm" onClick={() => props.onAccept(suggestion)}>
              {props.acceptLabel} <kbd className={styles.kbdLight}>Alt+A</kbd>
            </button>
            <button type="button" className="btn btn-sm btn-ghost" onClick={props.onIgnore}>
              Ignore
            </button>
          </div>
        </>
      ) : (
        <p className="muted small">
          {props.idleHint ?? (mode === 'LIVE' ? 'A suggestion appears when you pause.' : 'Ask for one with Alt+S or the Suggest button.')}
        </p>
      )}
      {error && (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      )}
    </section>
  );
}
