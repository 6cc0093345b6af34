/** How a test tells the fake entry points (main.ts, post.ts) which FAKE scenario to play and where to journal. */
export const FAKE_SCENARIO_ENV = "SEEDSTACK_ACTION_FAKE_LIFECYCLE";
export const FAKE_JOURNAL_ENV = "SEEDSTACK_ACTION_FAKE_JOURNAL";
