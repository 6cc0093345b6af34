/**
 * Debian's Chromium driven by playwright-core, for the console's browser tests: headless, no
 * sandbox (containers), nothing fetched from the network, a fresh profile in a temp dir removed
 * afterwards. When Chromium is missing the tests skip with the reason, unless
 * SEEDSTACK_REQUIRE_BROWSER=1 (CI), where that is a failure.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Page } from "playwright-core";

/** Where Debian installs it (`apt-get install chromium`). */
export const CHROMIUM = process.env.SEEDSTACK_CHROMIUM ?? "/usr/bin/chromium";

/** Why the browser tests cannot run here, or undefined when they can; throws when they must. */
export function browserMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const why = `Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`;
  if (process.env.SEEDSTACK_REQUIRE_BROWSER === "1") throw new Error(`${why}, and SEEDSTACK_REQUIRE_BROWSER=1 requires the browser tests`);
  return why;
}

/** A browser page source and how to stop it (closes the browser and removes its profile). */
export interface LaunchedChromium {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Launch Chromium with a fresh profile (playwright passes it as --user-data-dir). */
export async function launchChromium(): Promise<LaunchedChromium> {
  const profile = mkdtempSync(join(tmpdir(), "seedstack-chromium-"));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      viewport: { width: 1280, height: 900 },
    });
    return {
      newPage: () => context.newPage(),
      async close() {
        await context.close().catch(() => undefined);
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
}
