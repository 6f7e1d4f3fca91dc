/**
 * `facet analyze FILE [--alloy au750y] [--quantity 1] [--layer-height 0.025] [--json] [--thumbnail out.png]
 *  [--layers-dir DIR --pixel 0.05] [--prices book.json] [--no-walls] [--no-slicing]`
 * Exit codes: 0 accepted or review, 1 rejected, 2 bad input or usage.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CalculationRequest, runCalculation } from '@facet/calculation/calculation';
import { ALLOY_IDS, parseAlloyId } from '@facet/domain/alloys';
import { demoPriceBook, type PriceBook, PriceBookError } from '@facet/domain/pricing';
import { DEFAULT_LIMITS, ModelError } from '@facet/geometry/errors';
import { type FileSource, openFileSource } from './file-source.ts';
import { formatReport } from './format.ts';

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  now: () => Date;
}

const defaultIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  now: () => new Date(),
};

export const USAGE = `Usage: facet analyze FILE [options]

Reads an STL (binary or ASCII), OBJ or 3MF model and prints its manufacturability report and quote.

Options:
  --alloy ID           ${ALLOY_IDS.join(', ')} (also au750, 18k, 925 …); default au750y
  --quantity N         pieces (default 1)
  --layer-height MM    slicing layer height (default 0.025)
  --json               print the report as JSON (schema version 1)
  --thumbnail FILE     write the shaded PNG thumbnail
  --layers-dir DIR     write one PNG per layer (with --pixel MM, default 0.05)
  --prices FILE        price book JSON (default: the DEMO price book — not real prices)
  --no-walls           skip wall thickness;  --no-slicing  skip slicing;  --no-self-intersections
  --no-thumbnail       skip the thumbnail;   --validate-only  only parse, weld, topology, metrics and quote
  --max-seconds S      time cap (default ${DEFAULT_LIMITS.maxMillis / 1000})
`;

class UsageError extends Error {}

interface Options {
  file: string;
  json: boolean;
  request: CalculationRequest;
  thumbnail?: string;
  layersDir?: string;
  prices?: string;
  maxSeconds?: number;
}

const number = (flag: string, v: string | undefined, min: number, max: number): number => {
  const n = Number(v);
  if (v === undefined || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`${flag} needs a number between ${min} and ${max}`);
  }
  return n;
};

export const parseArgs = (argv: string[]): Options => {
  const [command, ...rest] = argv;
  if (command !== 'analyze') throw new UsageError(command ? `unknown command "${command}"` : 'missing command');
  let file: string | undefined;
  const o: Omit<Options, 'file'> = { json: false, request: { alloy: 'au750y', quantity: 1 } };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] ?? '';
    const value = (): string | undefined => rest[++i];
    switch (a) {
      case '--json':
        o.json = true;
        break;
      case '--alloy': {
        const v = value() ?? '';
        const id = parseAlloyId(v);
        if (!id) throw new UsageError(`unknown alloy "${v}"; use one of ${ALLOY_IDS.join(', ')}`);
        o.request.alloy = id;
        break;
      }
      case '--quantity':
        o.request.quantity = Math.round(number(a, value(), 1, 100_000));
        break;
      case '--layer-height':
        o.request.layerHeightMm = number(a, value(), 0.005, 0.5);
        break;
      case '--thumbnail':
        o.thumbnail = value();
        break;
      case '--layers-dir':
        o.layersDir = value();
        o.request.layerImagePixelMm ??= 0.05;
        break;
      case '--pixel':
        o.request.layerImagePixelMm = number(a, value(), 0.005, 1);
        break;
      case '--prices':
        o.prices = value();
        break;
      case '--no-walls':
        o.request.wallThickness = false;
        break;
      case '--no-slicing':
        o.request.slicing = false;
        break;
      case '--no-self-intersections':
        o.request.selfIntersections = false;
        break;
      case '--no-thumbnail':
        o.request.thumbnail = false;
        break;
      case '--validate-only':
        // Parse, weld, topology and repair, metrics, weights, quote: what admesh does, for comparisons.
        Object.assign(o.request, { wallThickness: false, slicing: false, selfIntersections: false, thumbnail: false });
        break;
      case '--max-seconds':
        o.maxSeconds = number(a, value(), 1, 3600);
        break;
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
        if (file !== undefined) throw new UsageError('only one FILE, please');
        file = a;
    }
  }
  if (!file) throw new UsageError('missing FILE');
  if (o.layersDir !== undefined && o.request.slicing === false) throw new UsageError('--layers-dir needs slicing');
  return { file, ...o };
};

export const run = async (argv: string[], io: Io = defaultIo): Promise<number> => {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    io.out(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  let opts: Options;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`facet: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  // The engine reads the file on demand: a binary STL streams through one reused chunk.
  let source: FileSource;
  try {
    source = openFileSource(opts.file);
  } catch (e) {
    io.err(`facet: cannot read ${opts.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return 2;
  }
  try {
    return analyze(opts, source, io);
  } finally {
    source.close();
  }
};

const analyze = (opts: Options, source: FileSource, io: Io): number => {
  if (source.size > DEFAULT_LIMITS.maxBytes) {
    io.err(`facet: ${opts.file}: the file is larger than ${DEFAULT_LIMITS.maxBytes / 1048576} MB\n`);
    return 2;
  }
  const now = io.now();
  let priceBook: PriceBook = demoPriceBook(now);
  if (opts.prices) {
    try {
      priceBook = JSON.parse(readFileSync(opts.prices, 'utf8')) as PriceBook;
    } catch (e) {
      io.err(`facet: cannot read the price book ${opts.prices}: ${(e as Error).message}\n`);
      return 2;
    }
  }
  try {
    const result = runCalculation(source, opts.request, {
      priceBook,
      now,
      limits: opts.maxSeconds ? { maxMillis: opts.maxSeconds * 1000 } : {},
    });
    if (opts.thumbnail && result.thumbnailPng) writeFileSync(opts.thumbnail, result.thumbnailPng);
    if (opts.layersDir && result.layerPngs) {
      mkdirSync(opts.layersDir, { recursive: true });
      result.layerPngs.forEach((png, k) => {
        writeFileSync(join(opts.layersDir ?? '.', `layer-${String(k).padStart(5, '0')}.png`), png);
      });
    }
    io.out(opts.json ? `${JSON.stringify(result.report, null, 2)}\n` : formatReport(result.report));
    return result.report.verdict === 'rejected' ? 1 : 0;
  } catch (e) {
    if (e instanceof ModelError) {
      if (opts.json) io.out(`${JSON.stringify({ error: { code: e.code, message: e.message } })}\n`);
      io.err(`facet: ${opts.file}: ${e.message} [${e.code}]\n`);
      return 2;
    }
    if (e instanceof PriceBookError) {
      io.err(`facet: price book: ${e.message} [${e.code}]\n`);
      return 2;
    }
    throw e;
  }
};
