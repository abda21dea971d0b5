// The `hyper` command: the app's domain code over files, in Node.
import { tagsCommand, TAGS_HELP } from './tags-command';
import { routeCommand, ROUTE_HELP } from './route-command';
import { judgeCommand, JUDGE_HELP } from './judge-command';
import { candidatesCommand, CANDIDATES_HELP } from './candidates-command';
import { fitCommand, FIT_HELP } from './fit-command';
import { mergeCommand, MERGE_HELP } from './merge-command';
import { serveCommand, SERVE_HELP } from './serve-command';
import { UsageError } from './args';
import { errorCode } from '../domain/errors';

const HELP = `hyper: HyPER Workbench on the command line

Commands:
  tags       compute the 90 HyPER tags of every pair in a file ("features" is the old name and still works)
  judge      label pairs with an LM judge (OpenAI-compatible endpoint), both orders, resumable
  route      choose which pairs go to human annotators (a PPM and a routing strategy) and write a plan
  candidates human/LM label mixes (TRL files + tag counts) to fit a PPM on; --proxy scores them locally
  fit        fit a PPM to reward-model scores of the candidates (CV report, ONNX model)
  merge      merge human and LM labels by a routing plan; export TRL, full JSONL, CSV or Parquet (+ manifest)
  serve      the team server: the app and its API over an embedded PostgreSQL or a PostgreSQL server

Run "npx hyper COMMAND --help" for a command's options.
`;

const COMMANDS: Record<string, { run: (argv: readonly string[], log: (s: string) => void) => Promise<number>; help: string }> = {
  tags: { run: tagsCommand, help: TAGS_HELP },
  /** The first name of `tags`, kept so existing scripts keep working. */
  features: { run: tagsCommand, help: TAGS_HELP },
  judge: { run: judgeCommand, help: JUDGE_HELP },
  merge: { run: mergeCommand, help: MERGE_HELP },
  route: { run: routeCommand, help: ROUTE_HELP },
  candidates: { run: candidatesCommand, help: CANDIDATES_HELP },
  fit: { run: fitCommand, help: FIT_HELP },
  serve: { run: serveCommand, help: SERVE_HELP },
};

/** Runs the CLI; returns the exit code (2 for usage errors, 1 for failures). */
export async function main(argv: readonly string[]): Promise<number> {
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === 'help') {
    process.stdout.write(HELP);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    log(`hyper: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  try {
    return await command.run(rest, (s) => (rest.includes('--help') ? process.stdout.write(`${s}\n`) : log(s)));
  } catch (e) {
    if (e instanceof UsageError) {
      log(`hyper ${name}: ${e.message}\n\n${command.help}`);
      return 2;
    }
    const code = errorCode(e) === undefined ? '' : ` [${errorCode(e)}]`;
    log(`hyper ${name}: ${e instanceof Error ? e.message : String(e)}${code}`);
    return 1;
  }
}
