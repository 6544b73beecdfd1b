// Action ids of the bot's buttons, shared by the messages that carry them and the handlers that
// answer them. Changing one orphans the buttons of messages already posted.

/** The parent message's "re-run" (also on App Home). */
export const RERUN_ACTION = 'plan_rerun';
/** The parent message's "export as Markdown". */
export const EXPORT_ACTION = 'plan_export';
/** App Home's link button to a plan's thread. */
export const OPEN_ACTION = 'plan_open';
/** The plain feedback buttons under a section (messages posted before Slack's feedback element). */
export const VOTE_UP_ACTION = 'section_vote_up';
export const VOTE_DOWN_ACTION = 'section_vote_down';
/** Slack's feedback_buttons element under a section (its value says up or down). */
export const SECTION_FEEDBACK_ACTION = 'section_feedback';
/** Slack's feedback_buttons element under an answer in a plan's thread. */
export const ANSWER_FEEDBACK_ACTION = 'answer_feedback';
/** The parent message's review decisions. */
export const APPROVE_ACTION = 'plan_approve';
export const CHANGES_ACTION = 'plan_request_changes';
