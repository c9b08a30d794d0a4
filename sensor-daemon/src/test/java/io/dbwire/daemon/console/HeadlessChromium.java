package io.dbwire.daemon.console;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven through Debian's chromedriver. Both paths are given explicitly so that
 * Selenium Manager never looks for (or downloads) a browser or driver; without them the test is skipped by a
 * visible assumption. Each instance gets a fresh profile directory and no background networking.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    /** Screenshots always go under target/; set this property (e.g. to ../docs/console) to refresh the docs'. */
    static final String SCREENSHOTS_PROPERTY = "dbwire.console.screenshots";

    final WebDriver driver;
    private final Path profile;

    HeadlessChromium(Path profile) {
        assumeTrue(Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER),
                "chromium and chromium-driver (Debian packages) are not installed: console browser tests skipped");
        this.profile = profile;
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-default-apps", "--window-size=1400,1100", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
    }

    void open(String url) {
        driver.get(url);
    }

    /**
     * Waits until the element's text contains every one of {@code texts}; returns that text. The live console
     * re-renders every poll, so an element found may be replaced before it is read: such reads are retried.
     */
    String waitForText(String css, String... texts) {
        String[] seen = new String[1];
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> {
            String t = readOnce(css);
            if (t == null) {
                return false;
            }
            for (String want : texts) {
                if (!t.contains(want)) {
                    return false;
                }
            }
            seen[0] = t;
            return true;
        });
        return seen[0];
    }

    void waitForElement(String css) {
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }

    /** The element's text, read again if a re-render replaced it meanwhile. */
    String text(String css) {
        for (int attempt = 0; attempt < 20; attempt++) {
            String t = readOnce(css);
            if (t != null) {
                return t;
            }
        }
        throw new AssertionError("no stable element " + css);
    }

    private String readOnce(String css) {
        try {
            return driver.findElement(By.cssSelector(css)).getText();
        } catch (org.openqa.selenium.NoSuchElementException | org.openqa.selenium.StaleElementReferenceException e) {
            return null;
        }
    }

    /** Saves what the window shows as {@code name}.png under target/console-screenshots (and the docs', if asked). */
    void screenshot(String name) throws IOException {
        Path png = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Path dir = Path.of("target", "console-screenshots");
        Files.createDirectories(dir);
        Files.copy(png, dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        String docs = System.getProperty(SCREENSHOTS_PROPERTY);
        if (docs != null && !docs.isBlank()) {
            Files.createDirectories(Path.of(docs));
            Files.copy(png, Path.of(docs).resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }

    Path profile() {
        return profile;
    }
}
