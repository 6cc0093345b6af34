/**
 * AWS wire formats the stand-in speaks (see aws-stand-in.ts): how a request names its service,
 * region and action, and how AWS shapes answers and errors in each protocol.
 *
 * - EC2 query protocol: form-encoded `Action=...`, XML answers in the 2016-11-15 namespace, errors
 *   as `<Response><Errors><Error><Code>`.
 * - Other query services (STS): the same requests, answers wrapped in `<XResponse><XResult>`, errors
 *   as `<ErrorResponse><Error><Type><Code><Message>`.
 * - JSON 1.1 (SSM): `X-Amz-Target: AmazonSSM.GetParameter`, errors as `{"__type", "message"}` with
 *   the `x-amzn-ErrorType` header.
 * Formats follow the AWS API references and the shapes botocore's protocol tests parse.
 */
import { randomUUID } from "node:crypto";

/** Who a signed request is for, read from its SigV4 credential scope. */
export interface SignedScope {
  /** The signing name of the service: `ec2`, `ssm`, `sts`. */
  readonly service: string;
  /** The signing region: `us-east-1`. */
  readonly region: string;
}

/**
 * The service and region of a SigV4-signed request
 * (`Authorization: AWS4-HMAC-SHA256 Credential=AKID/20250131/us-east-1/ec2/aws4_request, ...`),
 * or undefined for an unsigned request.
 */
export function signedScope(authorization: string | undefined): SignedScope | undefined {
  const match = /Credential=[^/,\s]+\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/.exec(authorization ?? "");
  return match ? { region: match[1]!, service: match[2]! } : undefined;
}

/** An answer to send: status, headers, body. */
export interface WireResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const EC2_NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";

/** Escape text for an XML element. */
export function xmlText(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** An EC2 query-protocol answer: `<{Action}Response xmlns=...><requestId/>{inner}</...>`. */
export function ec2Response(action: string, inner: string): WireResponse {
  const requestId = randomUUID();
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_NAMESPACE}">\n<requestId>${requestId}</requestId>\n${inner}\n</${action}Response>`;
  return { status: 200, headers: { "content-type": "text/xml;charset=UTF-8", "x-amzn-requestid": requestId }, body };
}

/** An EC2 error: HTTP 400, `<Response><Errors><Error><Code>..</Code><Message>..</Message></Error></Errors><RequestID>`. */
export function ec2Error(code: string, message: string, status = 400): WireResponse {
  const requestId = randomUUID();
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${xmlText(code)}</Code>` +
    `<Message>${xmlText(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
  return { status, headers: { "content-type": "text/xml;charset=UTF-8", "x-amzn-requestid": requestId }, body };
}

/** A query-protocol answer of a service other than EC2 (STS, IAM): `<XResponse><XResult>..</XResult><ResponseMetadata>`. */
export function queryResponse(namespace: string, action: string, result: string): WireResponse {
  const requestId = randomUUID();
  const body =
    `<${action}Response xmlns="${namespace}">\n  <${action}Result>\n${result}\n  </${action}Result>\n` +
    `  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</${action}Response>\n`;
  return { status: 200, headers: { "content-type": "text/xml", "x-amzn-requestid": requestId }, body };
}

/** A query-protocol error of a service other than EC2: `<ErrorResponse><Error><Type>Sender</Type><Code>..`. */
export function queryError(namespace: string, code: string, message: string, status = 400): WireResponse {
  const requestId = randomUUID();
  const body =
    `<ErrorResponse xmlns="${namespace}">\n  <Error>\n    <Type>Sender</Type>\n    <Code>${xmlText(code)}</Code>\n` +
    `    <Message>${xmlText(message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`;
  return { status, headers: { "content-type": "text/xml", "x-amzn-requestid": requestId }, body };
}

/** A JSON 1.1 answer (SSM and the other `X-Amz-Target` services). */
export function jsonResponse(payload: unknown): WireResponse {
  const requestId = randomUUID();
  return { status: 200, headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": requestId }, body: JSON.stringify(payload) };
}

/** A JSON 1.1 error: HTTP 400, `x-amzn-ErrorType` and `{"__type": code, "message": ...}`. */
export function jsonError(code: string, message: string, status = 400): WireResponse {
  const requestId = randomUUID();
  return {
    status,
    headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": requestId, "x-amzn-errortype": code },
    body: JSON.stringify({ __type: code, message }),
  };
}
