/**
 * An opt-in lifeline for a seed server started by the local engine (seedstack's `up`, `run`, the
 * Action): with `SEEDSTACK_LIFELINE=stdin`, the server exits at once when its stdin reaches EOF.
 * The engine keeps the other end of that pipe open and never writes to it; when the engine dies,
 * however it dies (SIGKILL included), the kernel closes the pipe and the server follows it, as
 * esbuild's service process does (cmd/esbuild/service.go).
 *
 * Opt-in because the very same bundle runs on EC2 under systemd, whose stdin is /dev/null: EOF at
 * once. There the variable is never set, and the server runs as it always has.
 */

/** The variable that turns the lifeline on, and the one value it takes. */
export const LIFELINE_ENV = "SEEDSTACK_LIFELINE";
export const LIFELINE_STDIN = "stdin";

/**
 * When `env` asks for it, exit (status 1, no drain: the engine that would route around us is gone)
 * as soon as `input` ends. Returns whether the lifeline is being watched.
 */
export function exitWhenLifelineCloses(env: NodeJS.ProcessEnv, input: NodeJS.ReadableStream = process.stdin, exit: (code: number) => void = (c) => process.exit(c)): boolean {
  if (env[LIFELINE_ENV] !== LIFELINE_STDIN) return false;
  const gone = () => exit(1);
  input.on("end", gone);
  input.on("close", gone);
  input.on("error", gone);
  input.resume(); // flowing, so EOF is seen; nothing is ever written to it
  return true;
}
