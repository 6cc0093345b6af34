/**
 * The boot script of every web server (EC2 user data): install Node from the AL2023 repositories,
 * fetch and verify the seed-server bundle from S3, and run it under systemd as a non-root user.
 * With a database, the password is fetched from the RDS-managed secret into a file the server
 * re-reads for every new connection (PGPASSWORD_FILE), and a timer refreshes that file: RDS
 * rotates the password every 7 days by default, and a password read once at start would stop
 * working at the first reconnect after a rotation.
 *
 * Pure function of its inputs, so the same script serves WebServerPair and AutoScaledWebServers and
 * can be checked with `bash -n` in tests. Terraform reads the script as a string template: literal
 * `${` or `%{` in it would be interpolation, so the template never uses them (bash `$VAR` only).
 */
import { Fn, Token } from "cdktf";
import type { DatabaseConnection, IServerArtifact } from "./contracts.js";

/** Log levels the seed server accepts (`LOG_LEVEL`). */
export type LogLevel = "debug" | "info" | "warn" | "error";
/** All accepted log levels. */
export const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];

/** Where things live on the instance (also useful to operators reading the docs). */
export const SERVER_PATHS = {
  /** The bundle: one file, run with plain node. */
  bundle: "/opt/seed-server/seed-server.mjs",
  /** Non-secret environment (PORT, SEED_INSTANCE_ID, ...), root-only. */
  environmentFile: "/etc/seed-server/seed-server.env",
  /** The database password from Secrets Manager (PGPASSWORD_FILE): root-owned, readable by the server's group only (0640). */
  passwordFile: "/etc/seed-server/db-password",
  /** Region, secret ARN and node path for `credentialsScript`, root-only. */
  credentialsConfig: "/etc/seed-server/db-secret.conf",
  /** The script that refreshes `passwordFile`; run as root before the server starts and by the timer. */
  credentialsScript: "/usr/local/libexec/seed-server-db-credentials",
  /** The systemd unit. */
  unit: "/etc/systemd/system/seed-server.service",
  /** The oneshot unit the refresh timer runs (the credentials script). */
  refreshUnit: "/etc/systemd/system/seed-server-db-credentials.service",
  /** The timer that refreshes the password file every 10 minutes. */
  refreshTimer: "/etc/systemd/system/seed-server-db-credentials.timer",
  /** Boot log of this script. */
  bootLog: "/var/log/seed-server-bootstrap.log",
} as const;

/** The system user the server runs as. */
export const SERVER_USER = "seedserver";

/** Inputs of {@link renderUserData}. */
export interface UserDataOptions {
  /** The bundle to run. */
  readonly artifact: IServerArtifact;
  /** The port the server listens on (what the load balancer's target group uses). */
  readonly port: number;
  /** Seconds the server keeps serving after SIGTERM while failing /status. */
  readonly drainSeconds: number;
  /** Server log level. */
  readonly logLevel: LogLevel;
  /** When given, the server uses PostgreSQL with these connection details (password from the secret). */
  readonly database?: DatabaseConnection;
}

/** Characters allowed in literal values placed in the script (tokens are resolved by Terraform). */
const SAFE_LITERAL = /^[A-Za-z0-9._:/@+=,!-]*$/;

/** A value as a single-quoted shell word; literals are checked so they cannot break the script. */
function shellWord(name: string, value: string): string {
  if (!Token.isUnresolved(value) && !SAFE_LITERAL.test(value)) {
    throw new Error(`user data: ${name} may contain only letters, digits and . _ : / @ + = , ! -; got ${JSON.stringify(value)}`);
  }
  return `'${value}'`;
}

/**
 * Node program (run with `node -e`) that reads a Secrets Manager SecretString from stdin and prints
 * its password followed by one newline (the seed server drops it), for PGPASSWORD_FILE. A password
 * with a newline in it is rejected rather than cut.
 */
export const SECRET_TO_PASSWORD_PROGRAM = [
  'const secret = JSON.parse(require("fs").readFileSync(0, "utf8"));',
  'if (typeof secret.password !== "string" || secret.password === "" || /[\\r\\n]/.test(secret.password)) { console.error("secret has no usable password field"); process.exit(1); }',
  'process.stdout.write(secret.password + "\\n");',
].join(" ");

/**
 * Minutes between refreshes of the password file. After a rotation, new connections fail until the
 * next refresh, so the period is short: 21,600 Secrets Manager calls a month per server, about
 * $0.11 at $0.05 per 10,000 calls.
 */
export const PASSWORD_REFRESH_MINUTES = 2;

/** Render the user data script (bash). Throws a clear error for values that cannot be embedded. */
export function renderUserData(options: UserDataOptions): string {
  const { artifact, port, drainSeconds, logLevel, database } = options;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`user data: port must be 1-65535; got ${port}`);
  if (!Number.isInteger(drainSeconds) || drainSeconds < 0) throw new Error(`user data: drainSeconds must be a whole number >= 0; got ${drainSeconds}`);
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`user data: logLevel must be one of ${LOG_LEVELS.join(", ")}; got ${JSON.stringify(logLevel)}`);

  // Each literal line below is checked for Terraform template syntax; values are appended after.
  const lines: string[] = [];
  const add = (...literal: string[]) => {
    for (const line of literal) {
      if (line.includes("${") || line.includes("%{")) throw new Error(`user data template line uses Terraform template syntax: ${line}`);
      lines.push(line);
    }
  };
  const assign = (variable: string, name: string, value: string) => lines.push(`${variable}=${shellWord(name, value)}`);

  add(
    "#!/bin/bash",
    "# seed-server bootstrap, rendered by seedstack modules/user-data.ts.",
    "set -euo pipefail",
    `exec > >(tee -a ${SERVER_PATHS.bootLog}) 2>&1`,
    "",
    "# Inputs (a new bundle hash changes this script, which replaces the instance).",
  );
  assign("BUCKET", "artifact bucketName", artifact.bucketName);
  assign("OBJECT_KEY", "artifact objectKey", artifact.objectKey);
  assign("BUNDLE_SHA256", "artifact contentHash", artifact.contentHash);
  lines.push(`PORT='${port}'`, `DRAIN_SECONDS='${drainSeconds}'`, `LOG_LEVEL='${logLevel}'`);
  if (database) {
    assign("PGHOST", "database host", database.host);
    if (!Number.isInteger(database.port) || database.port < 1 || database.port > 65535) {
      throw new Error(`user data: database port must be 1-65535; got ${database.port}`);
    }
    lines.push(`PGPORT='${database.port}'`);
    assign("PGDATABASE", "database name", database.databaseName);
    assign("PGUSER", "database username", database.username);
    assign("DB_SECRET_ARN", "database secretArn", database.secretArn);
  }

  add(
    "",
    "# Retry with backoff: at first boot the S3 endpoint route or NAT may still be settling.",
    "retry() {",
    "  local attempt=1",
    '  until "$@"; do',
    '    if [ "$attempt" -ge 8 ]; then echo "giving up after $attempt attempts: $*" >&2; return 1; fi',
    '    sleep $((attempt * 5)); attempt=$((attempt + 1))',
    "  done",
    "}",
    "",
    "# Instance metadata through IMDSv2 (session token; hop limit 1 is enough on the host).",
    'IMDS_TOKEN=$(retry curl -sSf -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 300" http://169.254.169.254/latest/api/token)',
    'imds() { curl -sSf -H "X-aws-ec2-metadata-token: $IMDS_TOKEN" "http://169.254.169.254/latest/meta-data/$1"; }',
    "REGION=$(imds placement/region)",
    "INSTANCE_ID=$(imds instance-id)",
    "",
    "# Node.js 22 from the AL2023 repositories (served from S3 through the VPC's gateway endpoint);",
    "# AL2023 installs it as node-22 (https://docs.aws.amazon.com/linux/al2023/ug/nodejs.html).",
    "retry dnf install -y nodejs22",
    "NODE_BIN=$(command -v node-22 || command -v node)",
    "",
    `id -u ${SERVER_USER} >/dev/null 2>&1 || useradd --system --no-create-home --shell /sbin/nologin ${SERVER_USER}`,
    "install -d -m 0755 /opt/seed-server",
    "install -d -m 0750 /etc/seed-server",
    `chgrp ${SERVER_USER} /etc/seed-server`,
    "",
    "# The bundle, verified against the hash the stack was synthesized with.",
    `retry aws s3 cp --only-show-errors --region "$REGION" "s3://$BUCKET/$OBJECT_KEY" ${SERVER_PATHS.bundle}.download`,
    `echo "$BUNDLE_SHA256  ${SERVER_PATHS.bundle}.download" | sha256sum --check --strict -`,
    `install -m 0644 ${SERVER_PATHS.bundle}.download ${SERVER_PATHS.bundle}`,
    `rm -f ${SERVER_PATHS.bundle}.download`,
    "",
    "umask 077",
    `cat > ${SERVER_PATHS.environmentFile} <<EOF`,
    "PORT=$PORT",
    "HOST=0.0.0.0",
    "SEED_INSTANCE_ID=$INSTANCE_ID",
    "DRAIN_SECONDS=$DRAIN_SECONDS",
    "LOG_LEVEL=$LOG_LEVEL",
  );
  if (database) {
    add(
      "SEED_STORE=postgres",
      "PGHOST=$PGHOST",
      "PGPORT=$PGPORT",
      "PGDATABASE=$PGDATABASE",
      "PGUSER=$PGUSER",
      "PGSSLMODE=require",
      `PGPASSWORD_FILE=${SERVER_PATHS.passwordFile}`,
      "EOF",
      "",
      "# The password comes from the RDS-managed secret before every service start and every",
      `# ${PASSWORD_REFRESH_MINUTES} minutes (the server re-reads the file for each new connection, so a rotated`,
      "# password needs no restart); it never appears on a command line, in the environment or in a log.",
      `cat > ${SERVER_PATHS.credentialsConfig} <<EOF`,
      "REGION='$REGION'",
      "DB_SECRET_ARN='$DB_SECRET_ARN'",
      "NODE_BIN='$NODE_BIN'",
      "EOF",
      // Quoted delimiter: the script is written verbatim, nothing in it is expanded now.
      `cat > ${SERVER_PATHS.credentialsScript} <<'EOF'`,
      "#!/bin/bash",
      "set -euo pipefail",
      "umask 077",
      `. ${SERVER_PATHS.credentialsConfig}`,
      `aws secretsmanager get-secret-value --region "$REGION" --secret-id "$DB_SECRET_ARN" --query SecretString --output text | "$NODE_BIN" -e '${SECRET_TO_PASSWORD_PROGRAM}' > ${SERVER_PATHS.passwordFile}.new`,
      `chgrp ${SERVER_USER} ${SERVER_PATHS.passwordFile}.new`,
      `chmod 0640 ${SERVER_PATHS.passwordFile}.new`,
      "# Atomic: a connection being opened reads the old password or the new one, never half a file.",
      `mv ${SERVER_PATHS.passwordFile}.new ${SERVER_PATHS.passwordFile}`,
      "EOF",
      `chmod 0700 ${SERVER_PATHS.credentialsScript}`,
      "",
      `cat > ${SERVER_PATHS.refreshUnit} <<EOF`,
      "[Unit]",
      "Description=refresh the seed server's database password from Secrets Manager",
      "",
      "[Service]",
      "Type=oneshot",
      `ExecStart=${SERVER_PATHS.credentialsScript}`,
      "EOF",
      `cat > ${SERVER_PATHS.refreshTimer} <<EOF`,
      "[Unit]",
      "Description=refresh the seed server's database password (RDS rotates it)",
      "",
      "[Timer]",
      `OnBootSec=${PASSWORD_REFRESH_MINUTES}min`,
      `OnUnitActiveSec=${PASSWORD_REFRESH_MINUTES}min`,
      "RandomizedDelaySec=20",
      "",
      "[Install]",
      "WantedBy=timers.target",
      "EOF",
    );
  } else {
    add("SEED_STORE=memory", "EOF");
  }

  add(
    "",
    "# Ports below 1024 need the bind capability; the server never runs as root.",
    "CAPABILITIES=",
    'if [ "$PORT" -lt 1024 ]; then CAPABILITIES="AmbientCapabilities=CAP_NET_BIND_SERVICE"; fi',
    "",
    `cat > ${SERVER_PATHS.unit} <<EOF`,
    "[Unit]",
    "Description=seed server (seedstack)",
    "Wants=network-online.target",
    "After=network-online.target",
    "# Never give up restarting (e.g. while the database secret is not readable yet).",
    "StartLimitIntervalSec=0",
    "",
    "[Service]",
    "Type=simple",
    `User=${SERVER_USER}`,
    `Group=${SERVER_USER}`,
    `EnvironmentFile=${SERVER_PATHS.environmentFile}`,
  );
  // "+": the credentials script runs as root (it writes under /etc/seed-server); if it fails, the
  // start fails and Restart= tries again, so the server never starts without a password file.
  if (database) add(`ExecStartPre=+${SERVER_PATHS.credentialsScript}`);
  add(
    `ExecStart=$NODE_BIN ${SERVER_PATHS.bundle}`,
    "Restart=always",
    "RestartSec=2",
    "KillSignal=SIGTERM",
    "# Room for the drain period plus in-flight requests before systemd escalates to SIGKILL.",
    "TimeoutStopSec=$((DRAIN_SECONDS + 30))",
    "$CAPABILITIES",
    "NoNewPrivileges=yes",
    "ProtectSystem=strict",
    "ProtectHome=yes",
    "PrivateTmp=yes",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "EOF",
    "",
    "systemctl daemon-reload",
  );
  // The refresh timer first: starting the service fetches the password (ExecStartPre), and if that
  // fails (the secret or its endpoint not reachable yet) `systemctl start` fails; under `set -e`
  // the timer would then never be enabled and the server would break at the next rotation.
  if (database) add("systemctl enable --now seed-server-db-credentials.timer");
  add(
    "# A failed first start is not the end of the boot: the unit is enabled and systemd keeps",
    "# restarting it (Restart=always, no start limit) until the password can be fetched.",
    "if systemctl enable --now seed-server.service; then",
    '  echo "seed-server started on port $PORT (instance $INSTANCE_ID)"',
    "else",
    '  echo "seed-server did not start yet; systemd retries it every 2 s (journalctl -u seed-server)" >&2',
    "fi",
  );
  return lines.join("\n") + "\n";
}

/**
 * The script as `base64encode(...)` for a launch template's `user_data`, which must be base64.
 * The script may contain tokens (e.g. the bucket name), so the encoding happens in Terraform; the
 * script becomes an HCL string literal there, where `\` and `"` must be escaped (cdktf escapes
 * newlines and `${` but not these).
 */
export function base64UserData(script: string): string {
  return Fn.base64encode(script.replace(/\\/g, "\\\\").replace(/"/g, '\\"'));
}
