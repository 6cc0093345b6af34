/**
 * The pull-request environments that exist, as the state bucket knows them: every `pr-<n>` stack
 * keeps its state at `<namePrefix>/pr-<n>/terraform.tfstate` (stacks/backend.ts `stateKey`), so a
 * listing under `<namePrefix>/pr-` finds every environment any run ever deployed, whichever runner
 * deployed it and whatever happened to that runner's disk.
 *
 * Beside a state the sweeper may find a HAND-OVER note, `<namePrefix>/pr-<n>/needs-destroy.json`:
 * written when a destroy could not finish (the Action's post step ran out of time, or the sweeper's
 * own destroy failed), so the next sweep destroys it whatever the TTL says. Without it a failed
 * destroy, which rewrites the state, would restart the TTL clock (it counts from the state's
 * LastModified).
 *
 * The AWS SDK's S3 client is loaded only when the bucket is listed (as the other SDK clients are).
 * AWS_ENDPOINT_URL_S3 is honoured by the SDK itself, as by terraform's S3 backend.
 */
import type { S3Client } from "@aws-sdk/client-s3";

/** The state file name the S3 backend is given (stacks/backend.ts `stateKey`). */
export const STATE_FILE = "terraform.tfstate";

/** The hand-over note's file name, beside the state. */
export const HANDOVER_FILE = "needs-destroy.json";

/** One pull-request environment's state object. */
export interface StateObject {
  /** The S3 key: `seedstack/pr-12/terraform.tfstate`. */
  readonly key: string;
  /** `pr-12`. */
  readonly stackName: string;
  readonly prNumber: number;
  /** When the state was last written: the last deploy (or destroy) of the environment. */
  readonly lastModified: Date;
  /** The hand-over note beside it, when there is one. */
  readonly handover?: Handover;
}

/** Why a destroy was handed to the sweeper, and since when. */
export interface Handover {
  readonly reason: string;
  readonly since: string;
}

/** What a key under the PR prefix is. */
export type ParsedKey =
  | { readonly kind: "state" | "handover"; readonly stackName: string; readonly prNumber: number }
  | { readonly kind: "other" };

/** The listing prefix of pull-request environments: `<namePrefix>/pr-`. */
export function pullRequestPrefix(namePrefix: string): string {
  return `${namePrefix}/pr-`;
}

/** The state key of `pr-<n>`, as stacks/backend.ts writes it. */
export function stateKeyOf(namePrefix: string, prNumber: number): string {
  return `${namePrefix}/pr-${prNumber}/${STATE_FILE}`;
}

/** The hand-over note's key of `pr-<n>`. */
export function handoverKeyOf(namePrefix: string, prNumber: number): string {
  return `${namePrefix}/pr-${prNumber}/${HANDOVER_FILE}`;
}

/**
 * What `key` is: a PR state, a hand-over note, or something else (the lock file
 * `terraform.tfstate.tflock`, a workspace's `env:/` copy, a stray object), which the sweeper ignores.
 */
export function parseStateKey(key: string, namePrefix: string): ParsedKey {
  const rest = key.startsWith(`${namePrefix}/`) ? key.slice(namePrefix.length + 1) : undefined;
  const m = rest === undefined ? null : /^pr-([1-9]\d{0,6})\/([^/]+)$/.exec(rest);
  if (!m) return { kind: "other" };
  const file = m[2];
  const kind = file === STATE_FILE ? "state" : file === HANDOVER_FILE ? "handover" : undefined;
  return kind ? { kind, stackName: `pr-${m[1]}`, prNumber: Number(m[1]) } : { kind: "other" };
}

/** One entry of a ListObjectsV2 answer, as far as the sweeper reads it. */
export interface ListedObject {
  readonly Key?: string;
  readonly LastModified?: Date;
}

/**
 * The state objects among `listed` (pure): each PR state once, with its hand-over note's presence
 * (its content is read separately); keys that are neither are counted as ignored.
 */
export function stateObjectsOf(listed: readonly ListedObject[], namePrefix: string): { states: StateObject[]; handoverKeys: Map<number, string>; ignored: string[] } {
  const states: StateObject[] = [];
  const handoverKeys = new Map<number, string>();
  const ignored: string[] = [];
  for (const o of listed) {
    if (!o.Key) continue;
    const parsed = parseStateKey(o.Key, namePrefix);
    if (parsed.kind === "state" && o.LastModified) states.push({ key: o.Key, stackName: parsed.stackName, prNumber: parsed.prNumber, lastModified: o.LastModified });
    else if (parsed.kind === "handover") handoverKeys.set(parsed.prNumber, o.Key);
    else ignored.push(o.Key);
  }
  states.sort((a, b) => a.prNumber - b.prNumber);
  return { states, handoverKeys, ignored };
}

/** Where the state bucket is. */
export interface StateBucket {
  readonly bucket: string;
  /** The stacks' SEEDSTACK_NAME_PREFIX. @default "seedstack" */
  readonly namePrefix?: string;
  /** The bucket's region. @default the SDK's own chain (AWS_REGION, the profile) */
  readonly region?: string;
  /** Path-style addressing, for an S3-protocol server on loopback. @default false: virtual-hosted, as AWS S3 */
  readonly forcePathStyle?: boolean;
  /** A client to use instead of a new one (a shared client). @default a new S3Client */
  readonly client?: S3Client;
}

/** A client for `where` (the endpoint from AWS_ENDPOINT_URL_S3 when set, as the SDK reads it). */
export async function s3ClientFor(where: StateBucket): Promise<S3Client> {
  if (where.client) return where.client;
  const { S3Client: Client } = await import("@aws-sdk/client-s3");
  return new Client({ ...(where.region ? { region: where.region } : {}), ...(where.forcePathStyle ? { forcePathStyle: true } : {}) });
}

function handoverOf(text: string, key: string): Handover {
  try {
    const v = JSON.parse(text) as { reason?: unknown; since?: unknown };
    return { reason: typeof v.reason === "string" ? v.reason : `(no reason in ${key})`, since: typeof v.since === "string" ? v.since : "" };
  } catch {
    // Still a hand-over: the note's presence is what counts.
    return { reason: `(${key} is not JSON)`, since: "" };
  }
}

/**
 * Every PR state object in the bucket (ListObjectsV2 under `<namePrefix>/pr-`, every page), with
 * the hand-over notes beside them (GetObject of each note).
 */
export async function listStateObjects(where: StateBucket): Promise<{ states: StateObject[]; ignored: string[] }> {
  const namePrefix = where.namePrefix ?? "seedstack";
  const client = await s3ClientFor(where);
  const { ListObjectsV2Command, GetObjectCommand } = await import("@aws-sdk/client-s3");
  const listed: ListedObject[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: where.bucket, Prefix: pullRequestPrefix(namePrefix), ...(token ? { ContinuationToken: token } : {}) }));
    listed.push(...(page.Contents ?? []));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  const { states, handoverKeys, ignored } = stateObjectsOf(listed, namePrefix);
  const withNotes: StateObject[] = [];
  for (const s of states) {
    const noteKey = handoverKeys.get(s.prNumber);
    if (!noteKey) {
      withNotes.push(s);
      continue;
    }
    const note = await client.send(new GetObjectCommand({ Bucket: where.bucket, Key: noteKey }));
    withNotes.push({ ...s, handover: handoverOf((await note.Body?.transformToString()) ?? "", noteKey) });
  }
  return { states: withNotes, ignored };
}

/**
 * Hand the destroy of `pr-<n>` to the sweeper: write the note beside its state (PutObject). For
 * the Action's post step when its destroy cannot finish, and for the sweeper's own failed destroy.
 */
export async function handOverToSweeper(where: StateBucket, prNumber: number, reason: string, now: Date = new Date()): Promise<string> {
  const client = await s3ClientFor(where);
  const { PutObjectCommand } = await import("@aws-sdk/client-s3");
  const key = handoverKeyOf(where.namePrefix ?? "seedstack", prNumber);
  const body = JSON.stringify({ version: 1, reason, since: now.toISOString() }) + "\n";
  await client.send(new PutObjectCommand({ Bucket: where.bucket, Key: key, Body: body, ContentType: "application/json" }));
  return key;
}

/** Whether a state document holds no resources (what a finished destroy leaves). */
export function stateIsEmpty(text: string): boolean {
  try {
    const state = JSON.parse(text) as { resources?: unknown };
    return Array.isArray(state.resources) && state.resources.length === 0;
  } catch {
    return false; // unreadable: never treated as empty
  }
}

/**
 * After a successful destroy: delete the emptied state object and its hand-over note, so the next
 * sweep does not find the environment again. The state is read once more first and deleted only
 * when it is still empty and unlocked (a deploy of the same PR may have started since).
 * @returns whether the state object was deleted
 */
export async function removeEmptiedState(where: StateBucket, prNumber: number): Promise<boolean> {
  const namePrefix = where.namePrefix ?? "seedstack";
  const client = await s3ClientFor(where);
  const { GetObjectCommand, DeleteObjectCommand, HeadObjectCommand } = await import("@aws-sdk/client-s3");
  const key = stateKeyOf(namePrefix, prNumber);
  const state = await client.send(new GetObjectCommand({ Bucket: where.bucket, Key: key }));
  if (!stateIsEmpty((await state.Body?.transformToString()) ?? "")) return false;
  const locked = await client.send(new HeadObjectCommand({ Bucket: where.bucket, Key: `${key}.tflock` })).then(
    () => true,
    (error: { name?: string }) => {
      if (error.name === "NotFound" || error.name === "NoSuchKey") return false;
      throw error;
    },
  );
  if (locked) return false;
  await client.send(new DeleteObjectCommand({ Bucket: where.bucket, Key: key }));
  await client.send(new DeleteObjectCommand({ Bucket: where.bucket, Key: handoverKeyOf(namePrefix, prNumber) }));
  return true;
}

/** The holder note's key of `pr-<n>` (lock-holder.ts), beside its state. */
export function holderNoteKeyOf(namePrefix: string, prNumber: number): string {
  return `${namePrefix}/pr-${prNumber}/lock-holder.json`;
}

async function textOrUndefined(client: S3Client, bucket: string, key: string): Promise<string | undefined> {
  const { GetObjectCommand } = await import("@aws-sdk/client-s3");
  try {
    const o = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await o.Body?.transformToString()) ?? "";
  } catch (error) {
    if ((error as { name?: string }).name === "NoSuchKey") return undefined;
    throw error;
  }
}

/** Terraform's S3 lock file of `pr-<n>` (`<state key>.tflock`, as terraform 1.10+ writes it), and the holder note; each undefined when absent. */
export async function readLockFile(where: StateBucket, prNumber: number): Promise<{ lockText?: string; noteText?: string }> {
  const namePrefix = where.namePrefix ?? "seedstack";
  const client = await s3ClientFor(where);
  const lockText = await textOrUndefined(client, where.bucket, `${stateKeyOf(namePrefix, prNumber)}.tflock`);
  const noteText = lockText === undefined ? undefined : await textOrUndefined(client, where.bucket, holderNoteKeyOf(namePrefix, prNumber));
  return { ...(lockText !== undefined ? { lockText } : {}), ...(noteText !== undefined ? { noteText } : {}) };
}

/** Write the holder note of `pr-<n>` (before a terraform run that takes its lock). */
export async function writeHolderNote(where: StateBucket, prNumber: number, noteJson: string): Promise<void> {
  const client = await s3ClientFor(where);
  const { PutObjectCommand } = await import("@aws-sdk/client-s3");
  await client.send(new PutObjectCommand({ Bucket: where.bucket, Key: holderNoteKeyOf(where.namePrefix ?? "seedstack", prNumber), Body: noteJson, ContentType: "application/json" }));
}

/** Remove the holder note of `pr-<n>` (after a terraform run that released its lock). */
export async function removeHolderNote(where: StateBucket, prNumber: number): Promise<void> {
  const client = await s3ClientFor(where);
  const { DeleteObjectCommand } = await import("@aws-sdk/client-s3");
  await client.send(new DeleteObjectCommand({ Bucket: where.bucket, Key: holderNoteKeyOf(where.namePrefix ?? "seedstack", prNumber) }));
}

/**
 * Remove the lock file of `pr-<n>` if it is still the lock `lockId` (what `terraform force-unlock`
 * does for the S3 lock file, without needing an initialized directory).
 * @returns whether it was removed
 */
export async function removeLockFile(where: StateBucket, prNumber: number, lockId: string): Promise<boolean> {
  const client = await s3ClientFor(where);
  const key = `${stateKeyOf(where.namePrefix ?? "seedstack", prNumber)}.tflock`;
  const text = await textOrUndefined(client, where.bucket, key);
  if (text === undefined) return false;
  try {
    if ((JSON.parse(text) as { ID?: unknown }).ID !== lockId) return false;
  } catch {
    return false;
  }
  const { DeleteObjectCommand } = await import("@aws-sdk/client-s3");
  await client.send(new DeleteObjectCommand({ Bucket: where.bucket, Key: key }));
  return true;
}
