/**
 * On-paper prices, USD per hour, on-demand, region us-east-1 (AWS public price list, 2025).
 * For a rough "what does this environment cost while it runs" line in the PR comment, not a bill:
 * load-balancer capacity units, data transfer, requests and free tiers are left out. Update by
 * hand when AWS changes them; anything missing here is listed as unpriced, never guessed.
 */

/** EC2 Linux on-demand, per instance-hour. */
export const EC2_HOURLY: Readonly<Record<string, number>> = {
  "t3.nano": 0.0052,
  "t3.micro": 0.0104,
  "t3.small": 0.0208,
  "t3.medium": 0.0416,
  "t3.large": 0.0832,
  "t3a.micro": 0.0094,
  "t3a.small": 0.0188,
  "t4g.nano": 0.0042,
  "t4g.micro": 0.0084,
  "t4g.small": 0.0168,
  "t4g.medium": 0.0336,
  "m5.large": 0.096,
  "m7g.medium": 0.0408,
};

/** RDS for PostgreSQL single-AZ on-demand, per instance-hour (Multi-AZ is twice this). */
export const RDS_HOURLY: Readonly<Record<string, number>> = {
  "db.t3.micro": 0.018,
  "db.t3.small": 0.036,
  "db.t4g.micro": 0.016,
  "db.t4g.small": 0.032,
  "db.t4g.medium": 0.065,
};

/** Hours in AWS's billing month, to turn per-GB-month prices into per-hour. */
export const HOURS_PER_MONTH = 730;

/** Application Load Balancer, per hour (before capacity units). */
export const ALB_HOURLY = 0.0225;
/** A public IPv4 address, per hour (an internet-facing ALB holds one per subnet, i.e. availability zone). */
export const PUBLIC_IPV4_HOURLY = 0.005;
/** An interface VPC endpoint, per availability zone and hour. */
export const INTERFACE_ENDPOINT_HOURLY = 0.01;
/** RDS gp3 storage, per GB-month. */
export const RDS_STORAGE_GB_MONTH = 0.115;
/** EBS gp3 volume, per GB-month (the web servers' root volumes). */
export const EBS_GP3_GB_MONTH = 0.08;
/** A Secrets Manager secret (the RDS-managed master password), per month. */
export const SECRET_MONTH = 0.4;
