/**
 * Every action a workflow (or a README example a user copies) runs must be pinned to a full commit
 * SHA, with the version in a comment: `uses: actions/checkout@<40 hex> # v7.0.1`. A tag (`@v4`) or
 * a branch can be moved to other code by whoever controls that repository, and our jobs can assume
 * the AWS role. Dependabot (.github/dependabot.yml) updates the SHA and the comment together.
 *
 * Local actions (`./action`) and `docker://` images are not references to another repository and
 * are left alone. Run with `npx tsx action/pinned-actions.ts`; the tests call the functions.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** One `uses:` of another repository's action, as written. */
export interface ActionReference {
  readonly file: string;
  readonly line: number;
  /** `owner/repo[/path]`. */
  readonly action: string;
  /** What follows the `@`. */
  readonly ref: string;
  /** The version named in the trailing comment (`v7.0.1`), if any. */
  readonly version: string | undefined;
}

/** A reference that is not pinned, and why. */
export interface PinProblem extends ActionReference {
  readonly problem: string;
}

/**
 * The one placeholder the action's README example uses for this repository's own action: the
 * user's fork and commit are not known to us, and the text beside it says to pin a full SHA.
 */
export const DOCUMENTED_PLACEHOLDERS: readonly string[] = ["OWNER/seedstack/action@FULL_COMMIT_SHA"];

const USES = /^\s*(?:-\s+)?uses:\s*["']?([^\s"'#]+)["']?\s*(?:#\s*(.*))?$/;
const FULL_SHA = /^[0-9a-f]{40}$/;
const VERSION_COMMENT = /^v?\d+(\.\d+)*\S*/;

/** Every `uses:` of another repository's action in `text` (a workflow, or Markdown with YAML examples). */
export function actionReferences(text: string, file: string): ActionReference[] {
  const references: ActionReference[] = [];
  text.split("\n").forEach((lineText, index) => {
    const m = USES.exec(lineText);
    if (!m) return;
    const target = m[1]!;
    if (target.startsWith("./") || target.startsWith("docker://")) return;
    const at = target.lastIndexOf("@");
    const version = m[2] !== undefined ? VERSION_COMMENT.exec(m[2].trim())?.[0] : undefined;
    references.push({ file, line: index + 1, action: at < 0 ? target : target.slice(0, at), ref: at < 0 ? "" : target.slice(at + 1), version });
  });
  return references;
}

/** The references in `text` that are not pinned to a full commit SHA with a version comment. */
export function unpinnedReferences(text: string, file: string): PinProblem[] {
  const problems: PinProblem[] = [];
  for (const reference of actionReferences(text, file)) {
    if (DOCUMENTED_PLACEHOLDERS.includes(`${reference.action}@${reference.ref}`)) continue;
    if (reference.ref === "") problems.push({ ...reference, problem: "no ref at all (the default branch, moved by every push)" });
    else if (!FULL_SHA.test(reference.ref)) problems.push({ ...reference, problem: `@${reference.ref} is a movable ref (tag, branch or short SHA), not a full 40-hex commit SHA` });
    else if (reference.version === undefined) problems.push({ ...reference, problem: "pinned, but no `# vX.Y.Z` comment says which version the SHA is" });
  }
  return problems;
}

/** The files whose `uses:` lines must be pinned: every workflow, the READMEs and docs/*.md. */
export function filesToCheck(repoRoot: string = root): string[] {
  const under = (dir: string, pattern: RegExp) => {
    try {
      return readdirSync(join(repoRoot, dir)).filter((f) => pattern.test(f)).sort().map((f) => join(repoRoot, dir, f));
    } catch {
      return [];
    }
  };
  return [...under(".github/workflows", /\.ya?ml$/), join(repoRoot, "README.md"), join(repoRoot, "action", "README.md"), ...under("docs", /\.md$/)];
}

/** Every unpinned reference in the repository, with paths relative to its root. */
export function repositoryPinProblems(repoRoot: string = root): PinProblem[] {
  return filesToCheck(repoRoot).flatMap((file) => unpinnedReferences(readFileSync(file, "utf8"), relative(repoRoot, file)));
}

const isEntryPoint = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isEntryPoint) {
  const problems = repositoryPinProblems();
  for (const p of problems) console.log(`${p.file}:${p.line}: ${p.action}: ${p.problem}`);
  console.log(`pinned actions: ${problems.length} problems`);
  process.exitCode = problems.length > 0 ? 1 : 0;
}
