import {
  applyRule,
  inferYear,
  YEAR_RULES,
  type YearClues,
  type YearModel,
  type YearRule,
} from '../../src/workers/stages/parse/year-inference.js';

/**
 * How the parser's year model (YEAR_MODEL in year-inference.ts) was learned and how it is scored:
 * research code, run by `npm run corpus:report` on the dev corpus, never by the pipeline. The model
 * it learns is written into year-inference.ts by hand; a test holds the two to each other.
 */

export interface LabelledClues {
  clues: YearClues;
  year: number;
}

/**
 * The model from labelled cables: the usual declassification spans (those of at least 1% of the
 * cables with one), the usual reference gap, and, in YEAR_RULES order, each rule that is right for
 * at least `minAccuracy` of the cables it would decide among those no kept rule decided before it
 * (with at least `minSupport` of them), and is so again out of fold (`innerFolds`-fold
 * cross-validation of this same learning over the samples). A rule that decides only a few
 * cables cannot show that: it is left out.
 */
export function learnYearModel(
  samples: readonly LabelledClues[],
  minAccuracy = 0.85,
  minSupport = 5,
  innerFolds = 10,
): YearModel {
  const offsets = new Map<number, number>();
  let withDecl = 0;
  for (const s of samples) {
    if (s.clues.declassifyYear === null) continue;
    withDecl++;
    const o = s.clues.declassifyYear - s.year;
    offsets.set(o, (offsets.get(o) ?? 0) + 1);
  }
  const declassifyOffsets = [...offsets]
    .filter(([o, n]) => o > 0 && n >= 0.01 * withDecl)
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .map(([o]) => o);
  const gaps = new Map<number, number>();
  for (const s of samples) {
    if (s.clues.latestReferenceYear === null) continue;
    const g = s.year - s.clues.latestReferenceYear;
    if (g >= 0) gaps.set(g, (gaps.get(g) ?? 0) + 1);
  }
  const referenceGap = [...gaps].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 1;
  const base = { declassifyOffsets, referenceGap };
  let rules = greedyRules(samples, base, minAccuracy, minSupport);
  // A rule earns its place out of fold: judged on cables the rest of the model was learned without.
  if (innerFolds > 1 && rules.length > 0) {
    const held = crossValidateYearModel(samples, innerFolds, (train) =>
      learnYearModel(train, minAccuracy, minSupport, 0),
    );
    rules = rules.filter((r) => {
      const h = held.byRule[r];
      return h !== undefined && h.decided >= minSupport && h.right / h.decided >= minAccuracy;
    });
  }
  return { declassifyOffsets, referenceGap, rules };
}

export interface YearScore {
  /** Cables given a year, and of those, right. */
  decided: number;
  right: number;
  total: number;
  /** The same, by the rule that decided. */
  byRule: Partial<Record<YearRule, { decided: number; right: number }>>;
}

export function scoreYearModel(samples: readonly LabelledClues[], m: YearModel): YearScore {
  const out: YearScore = { decided: 0, right: 0, total: samples.length, byRule: {} };
  for (const s of samples) {
    const r = inferYear(s.clues, m);
    if (!r) continue;
    const rule = (out.byRule[r.rule] ??= { decided: 0, right: 0 });
    out.decided++;
    rule.decided++;
    if (r.year === s.year) {
      out.right++;
      rule.right++;
    }
  }
  return out;
}

function greedyRules(
  samples: readonly LabelledClues[],
  base: Pick<YearModel, 'declassifyOffsets' | 'referenceGap'>,
  minAccuracy: number,
  minSupport: number,
): YearRule[] {
  const rules: YearRule[] = [];
  let open = [...samples];
  for (const rule of YEAR_RULES) {
    const decided = open.map((s) => ({ s, y: applyRule(rule, s.clues, base) })).filter((x) => x.y !== null);
    const right = decided.filter((x) => x.y === x.s.year).length;
    if (decided.length >= minSupport && right / decided.length >= minAccuracy) {
      rules.push(rule);
      open = open.filter((s) => applyRule(rule, s.clues, base) === null);
    }
  }
  return rules;
}

/** k-fold cross-validation: each fold scored by the model learned on the others. */
export function crossValidateYearModel(
  samples: readonly LabelledClues[],
  k = 10,
  learn: (train: readonly LabelledClues[]) => YearModel = learnYearModel,
): YearScore {
  const out: YearScore = { decided: 0, right: 0, total: 0, byRule: {} };
  for (let fold = 0; fold < k; fold++) {
    const train = samples.filter((_, i) => i % k !== fold);
    const test = samples.filter((_, i) => i % k === fold);
    const s = scoreYearModel(test, learn(train));
    out.decided += s.decided;
    out.right += s.right;
    out.total += s.total;
    for (const [rule, r] of Object.entries(s.byRule) as Array<[YearRule, { decided: number; right: number }]>) {
      const o = (out.byRule[rule] ??= { decided: 0, right: 0 });
      o.decided += r.decided;
      o.right += r.right;
    }
  }
  return out;
}
