/**
 * One entry of the Auto Scaling group's activity history, with DescribeScalingActivities' fields
 * and wording ("Launching a new EC2 instance: i-…", "At … a monitor alarm … in state ALARM
 * triggered policy …"). Its own file so events.ts can name it without importing the engine.
 */
/** One scaling activity. */
export interface ScalingActivity {
  readonly activityId: string;
  readonly description: string;
  readonly cause: string;
  readonly startTime: string;
  endTime?: string;
  statusCode: "InProgress" | "Successful" | "Failed";
  readonly kind: "launch" | "terminate";
  readonly instance: string;
  /** What triggered it, when an alarm did. */
  readonly alarm?: { readonly name: string; readonly which: "high" | "low"; readonly datapoints: readonly number[]; readonly threshold: number; readonly periodMs: number };
}

