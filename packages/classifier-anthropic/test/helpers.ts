import { createMemoryMetrics, type NoteClassification } from '@fulfil/core';
import { makeOrder } from '@fulfil/core/testing';
import { type ClaudeNoteClassifierOptions, createClaudeNoteClassifier } from '../src';
import { KeywordNoteClassifier, NOTE_TAXONOMY } from './core-notes';

export const NOW = Date.parse('2026-11-27T15:00:00.000Z');
export const TZ = 'America/New_York';

/** A cascade classifier pointed at the fake server, with memory metrics. */
export function cascade(url: string, options: Partial<ClaudeNoteClassifierOptions> = {}) {
  const metrics = createMemoryMetrics();
  const classifier = createClaudeNoteClassifier({
    offline: new KeywordNoteClassifier(),
    taxonomy: NOTE_TAXONOMY,
    apiKey: 'test-key',
    baseURL: url,
    maxRetries: 0,
    timeoutMs: 5000,
    metrics,
    ...options,
  });
  const order = makeOrder();
  const classify = (note: string, now = NOW): Promise<NoteClassification> =>
    classifier.classify(note, { order, timeZone: TZ, now });
  const counter = (name: string, labels: Record<string, string>) =>
    metrics
      .snapshot()
      .counters.filter(
        (c) => c.name === name && Object.entries(labels).every(([k, v]) => c.labels[k] === v),
      )
      .reduce((s, c) => s + c.value, 0);
  return { classifier, classify, metrics, counter };
}
