/**
 * How long a web server's cold boot takes until the load balancer calls it healthy, step by step
 * as the user data script runs it. The Auto Scaling health-check grace period (and instance
 * warm-up) is sized from this: shorter, and the group terminates instances that are still
 * installing Node.js, relaunches them, and loops; an instance refresh at 100% minimum healthy
 * stalls waiting for a replacement that never counts as healthy.
 *
 * The seconds are budgets for a t3.micro (burstable, the default type) on Amazon Linux 2023, not
 * measurements (nothing here reaches AWS): each is a typical time with room for a slow start.
 * The one deliberate excess is a full second attempt of the slowest step, the package install,
 * because the boot script retries it and a first boot is when the S3 endpoint route may still be
 * settling.
 */

/** One step of a cold boot. */
export interface BootStep {
  /** What happens, in words. */
  readonly step: string;
  /** Seconds budgeted for it. */
  readonly seconds: number;
  /**
   * The start of the user-data command this step covers when the script runs it under `retry`
   * (network calls that can fail transiently); undefined for steps that are not such a call.
   */
  readonly retriedCommand?: string;
}

/** A cold boot, in order. */
export const COLD_BOOT_STEPS: readonly BootStep[] = [
  { step: "EC2 launch to user data: firmware, kernel, systemd, cloud-init's final stage (AL2023 typically 30-40 s)", seconds: 60 },
  { step: "IMDSv2 token, region and instance ID from the metadata service", seconds: 5, retriedCommand: "curl" },
  { step: "dnf install nodejs22, cold: repository metadata and packages from S3 through the gateway endpoint (typically 40-60 s)", seconds: 90, retriedCommand: "dnf install" },
  { step: "one retry of the install after a transient failure: 5 s back-off, then the install again", seconds: 95 },
  { step: "bundle from S3 with the AWS CLI, and its SHA-256 check", seconds: 10, retriedCommand: "aws s3 cp" },
  { step: "systemd starts the server (with a database, the password fetch first) until /status answers", seconds: 10 },
  { step: "load balancer marks it healthy: 2 successful checks 5 s apart, plus one 4 s timeout", seconds: 14 },
];

/** Sum of {@link COLD_BOOT_STEPS}: 284 s. */
export const COLD_BOOT_SECONDS = COLD_BOOT_STEPS.reduce((total, s) => total + s.seconds, 0);

/** The default health-check grace period: the cold-boot budget rounded up to whole minutes, 300 s. */
export const DEFAULT_HEALTH_CHECK_GRACE_SECONDS = Math.ceil(COLD_BOOT_SECONDS / 60) * 60;
