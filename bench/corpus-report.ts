/** Print the corpus and peer scores (the tables the corpus tests assert on). npm run corpus:report */
import { formatPeer, scoreCablemap } from './scoring/cablemap.js';
import { formatParagraphReport, paragraphReport } from './scoring/paragraphs.js';
import { formatIdBasis, formatScores, formatYearModel, scoreCorpus, yearModelReport } from './scoring/corpus.js';

const { scores, crashes, n, idBasis } = scoreCorpus();
process.stdout.write(
  `dev corpus (${n} cables, ${crashes.length} crashes) vs truth.jsonl\n${formatScores(scores)}\n\n${formatIdBasis(idBasis)}\n\n${formatPeer(scoreCablemap())}\n\n${formatYearModel(yearModelReport())}\n\n${formatParagraphReport(paragraphReport())}\n`,
);
const field = process.argv[2];
if (field) {
  const s = scores[field as keyof typeof scores];
  process.stdout.write(
    `\nmisses for ${field}:\n${
      field === 'paragraphs'
        ? paragraphReport().misses.join('\n')
        : s
          ? s.misses.join('\n')
          : (scoreCablemap()
              .find((x) => x.field === field)
              ?.misses.join('\n') ?? '(no such field)')
    }\n`,
  );
}
