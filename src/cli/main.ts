// The `hyper` command: the app's domain code over files, in Node.
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

Run "npx hyper COMMAND --help" (or -h) for a command's options; "npx hyper --version" for the version.
`;

type Command = { run: (argv: readonly string[], log: (s: string) => void) => Promise<number>; help: string };

// Each command's code is loaded when it runs, so `hyper route --help` does not read the tokenizer or the database.
const COMMANDS: Record<string, () => Promise<Command>> = {
  tags: async () => {
    const m = await import('./tags-command');
    return { run: m.tagsCommand, help: m.TAGS_HELP };
  },
  /** The first name of `tags`, kept so existing scripts keep working. */
  features: () => COMMANDS.tags!(),
  judge: async () => {
    const m = await import('./judge-command');
    return { run: m.judgeCommand, help: m.JUDGE_HELP };
  },
  merge: async () => {
    const m = await import('./merge-command');
    return { run: m.mergeCommand, help: m.MERGE_HELP };
  },
  route: async () => {
    const m = await import('./route-command');
    return { run: m.routeCommand, help: m.ROUTE_HELP };
  },
  candidates: async () => {
    const m = await import('./candidates-command');
    return { run: m.candidatesCommand, help: m.CANDIDATES_HELP };
  },
  fit: async () => {
    const m = await import('./fit-command');
    return { run: m.fitCommand, help: m.FIT_HELP };
  },
  serve: async () => {
    const m = await import('./serve-command');
    return { run: m.serveCommand, help: m.SERVE_HELP };
  },
};

/** Runs the CLI; returns the exit code (2 for usage errors, 1 for failures). */
export async function main(argv: readonly string[]): Promise<number> {
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const [name, ...given] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    const { appInfo } = await import('./merge-command');
    process.stdout.write(`${appInfo().version}\n`);
    return 0;
  }
  // `-h` is --help for every command, as other CLIs have it.
  const rest = given.map((a) => (a === '-h' ? '--help' : a));
  const load = COMMANDS[name];
  if (!load) {
    log(`hyper: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  const command = await load();
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
