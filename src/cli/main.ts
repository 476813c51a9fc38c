/**
 * The `meshcraft` command: a subcommand dispatcher. Exit codes: 0 ok, 2 bad input (usage, unreadable
 * file, YAML error, unknown workload…), 1 internal error. Never prints a stack trace.
 */
import { EngineInputError } from '../engine/types';
import { UsageError } from './args';
import { InputError } from './design';
import { runSimulate } from './simulate';
import { runTrace, TRACE_USAGE } from './trace';
import { runAnalyze } from './analyze';

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

const stdio: Io = {
  out: (t) => void process.stdout.write(`${t}\n`),
  err: (t) => void process.stderr.write(`${t}\n`),
};

const USAGE = `usage: meshcraft <command> [options]

commands:
  trace      route requests through a design and explain each step
  simulate   send many requests over simulated time: splits, circuit breakers, ejections, latency
  analyze    check a design for configuration mistakes (like istioctl analyze)

Run "meshcraft <command> --help" for a command's options.

${TRACE_USAGE}`;

type Command = (argv: string[], io: Io) => number | Promise<number>;

const COMMANDS: Record<string, Command> = {
  trace: runTrace,
  simulate: runSimulate,
  analyze: (argv, io) => runAnalyze(argv, { stdout: io.out, stderr: io.err }),
};

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    io.out(USAGE);
    return cmd === undefined ? 2 : 0;
  }
  const run = COMMANDS[cmd];
  try {
    if (!run) throw new UsageError(`unknown command "${cmd}"`);
    return await run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`meshcraft: ${e.message}\n(run "meshcraft --help" for usage)`);
      return 2;
    }
    if (e instanceof InputError || e instanceof EngineInputError) {
      io.err(`meshcraft: ${e.message}`);
      return 2;
    }
    io.err(`meshcraft: internal error: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
