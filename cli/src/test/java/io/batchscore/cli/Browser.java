package io.batchscore.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Loads an HTML report in Debian's headless Chromium (CI installs it: .ci/run). */
final class Browser {
  private Browser() {}

  /** Debian's Chromium, where the machine has it. */
  static Path chromium() {
    for (String c : new String[] {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
      if (Files.isExecutable(Path.of(c))) {
        return Path.of(c);
      }
    }
    return null;
  }

  /**
   * The page's DOM after its script ran, asserting that it ran without error; skips the test where
   * the machine has no Chromium.
   *
   * @param scratch a folder for the browser's profile and log
   */
  static String render(Path page, Path scratch) throws Exception {
    Path browser = chromium();
    assumeTrue(
        browser != null,
        "no Chromium on this machine (apt-get install chromium; .ci/run installs it): the page"
            + " is not loaded in a browser");
    Path profileDir = Files.createDirectories(scratch.resolve("chromium-profile"));
    Path err = scratch.resolve("chromium.err");
    Process p =
        new ProcessBuilder(
                browser.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profileDir,
                "--enable-logging=stderr",
                "--v=0",
                "--dump-dom",
                page.toUri().toString())
            .redirectError(err.toFile())
            .start();
    String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium finished");
    String log = Files.readString(err);
    assertTrue(dom.contains("data-rendered=\"yes\""), "the page's script ran: " + dom.length());
    assertTrue(!dom.contains("data-error="), "no script error");
    assertTrue(
        !log.contains(":CONSOLE(") || !log.toLowerCase().contains("error"),
        "no console error: " + log);
    return dom;
  }
}
