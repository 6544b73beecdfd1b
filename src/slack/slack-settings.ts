/** Slack's credentials and command (SLACK_* variables). */
export interface SlackSettings {
  readonly botToken: string;
  /** Undefined only in Socket Mode, where requests do not come over HTTP. */
  readonly signingSecret: string | undefined;
  /** Set: Socket Mode instead of HTTP. The app-level token (`xapp-…`, scope `connections:write`). */
  readonly appToken: string | undefined;
  /** Web API base URL (GovSlack, tests); undefined: Slack's own. */
  readonly apiUrl: string | undefined;
  readonly command: string;
}
