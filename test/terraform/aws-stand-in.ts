/**
 * A STAND-IN for the few read-only AWS APIs `terraform plan` calls while reading our stacks' data
 * sources (EC2 DescribeAvailabilityZones and DescribeInstanceTypeOfferings, SSM GetParameter, STS
 * GetCallerIdentity), on loopback.
 * We have no AWS here; the real provider talks to this instead through its `endpoints` settings
 * (see stand-in-override.ts), in AWS's real wire formats (see aws-wire.ts), so the provider's own
 * request signing, XML/JSON parsing and data-source code all run as they do against AWS.
 *
 * It is NOT AWS: its answers are fixed documentation values (account 123456789012, one AMI ID,
 * three zones per region, the first of which offers no t3 instance types). Any other action is answered with that service's error format naming
 * the action, so a stack that starts calling something new fails its plan loudly.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { jsonError, queryError, signedScope, type WireResponse } from "./aws-wire.js";
import { answerEc2, answerSsm, answerSts, DEFAULT_STAND_IN_ACCOUNT, unsupportedMessage, type StandInAccount } from "./aws-stand-in-services.js";

/** One request the stand-in received, for tests that assert which calls a plan made. */
export interface StandInRequest {
  /** The SigV4 signing name: `ec2`, `ssm`, `sts` (`unsigned` when the request carried no signature). */
  readonly service: string;
  /** The signing region. */
  readonly region: string;
  /** The API action (`DescribeAvailabilityZones`), or `METHOD /path` for a REST call. */
  readonly action: string;
  /** The HTTP status it answered. */
  readonly status: number;
}

/** A running stand-in. */
export interface AwsStandIn {
  /** Its base URL, `http://127.0.0.1:<port>`: every service endpoint points here. */
  readonly url: string;
  /** Every request so far, in arrival order. */
  readonly requests: readonly StandInRequest[];
  /** Stop listening and drop open connections. */
  close(): Promise<void>;
}

const BODY_LIMIT = 1024 * 1024;

/** Start the stand-in on a free loopback port. */
export async function startAwsStandIn(account: Partial<StandInAccount> = {}): Promise<AwsStandIn> {
  const facts: StandInAccount = { ...DEFAULT_STAND_IN_ACCOUNT, ...account };
  const requests: StandInRequest[] = [];
  const server = createServer((req, res) => {
    readBody(req)
      .then((body) => {
        const { answer, record } = route(req, body, facts);
        requests.push({ ...record, status: answer.status });
        send(res, answer);
      })
      .catch((error: Error) => {
        requests.push({ service: "unknown", region: "unknown", action: `${req.method} ${req.url}`, status: 400 });
        send(res, queryError("https://seedstack.invalid/stand-in", "InvalidRequest", error.message));
      });
  });
  // The provider keeps connections alive; do not let them hold close() up.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) reject(new Error(`request body over ${BODY_LIMIT} bytes`));
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, answer: WireResponse): void {
  res.writeHead(answer.status, { ...answer.headers, "content-length": Buffer.byteLength(answer.body) });
  res.end(answer.body);
}

/** Route one request by its signing scope and protocol; returns the answer and what to record. */
function route(req: IncomingMessage, body: string, account: StandInAccount): { answer: WireResponse; record: Omit<StandInRequest, "status"> } {
  const scope = signedScope(req.headers.authorization);
  const target = req.headers["x-amz-target"];
  const jsonProtocol = typeof target === "string";
  const params = new URLSearchParams(jsonProtocol || req.method !== "POST" ? new URL(req.url ?? "/", "http://x").search : body);
  const action = jsonProtocol ? target.split(".").pop()! : (params.get("Action") ?? `${req.method} ${new URL(req.url ?? "/", "http://x").pathname}`);
  if (scope === undefined) {
    const message = `seedstack's AWS stand-in answers only SigV4-signed requests; got an unsigned ${action}`;
    return {
      answer: jsonProtocol ? jsonError("MissingAuthenticationTokenException", message, 403) : queryError("https://seedstack.invalid/stand-in", "MissingAuthenticationToken", message, 403),
      record: { service: "unsigned", region: "", action },
    };
  }
  const record = { service: scope.service, region: scope.region, action };
  switch (scope.service) {
    case "ec2":
      return { answer: answerEc2(params, scope.region, account), record };
    case "sts":
      return { answer: answerSts(params, account), record };
    case "ssm":
      return { answer: jsonProtocol ? answerSsm(target, body, scope.region, account) : jsonError("UnknownOperationException", unsupportedMessage("ssm", action)), record };
    default:
      // A service the stand-in does not know at all: its error in the request's own protocol.
      return {
        answer: jsonProtocol
          ? jsonError("UnknownOperationException", unsupportedMessage(scope.service, action))
          : queryError(`https://${scope.service}.amazonaws.com/doc/`, "UnsupportedOperation", unsupportedMessage(scope.service, action)),
        record,
      };
  }
}
