package com.clientele.web;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real browser for the dashboard's tests: Debian's headless Chromium through its chromedriver.
 * Where neither is installed the browser tests are skipped, except on CI ({@code CI} set), whose
 * script installs them, so that a missing browser fails there rather than passing unseen.
 */
public final class Browser implements AutoCloseable {

    private static final List<String> CHROMIUM = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
    private static final List<String> DRIVER = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriver driver;
    private final String baseUrl;
    private final WebDriverWait wait;

    private Browser(ChromeDriver driver, String baseUrl) {
        this.driver = driver;
        this.baseUrl = baseUrl.replaceAll("/$", "");
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    /** A headless Chromium window of {@code width}×{@code height} on the dashboard at {@code baseUrl}. */
    public static Browser open(String baseUrl, int width, int height) {
        var chromium = first(CHROMIUM);
        var chromedriver = first(DRIVER);
        boolean onCi = System.getenv("CI") != null;
        if (chromium.isEmpty() || chromedriver.isEmpty()) {
            if (onCi) {
                throw new IllegalStateException("Chromium and its chromedriver must be installed on CI (.ci/run installs them)");
            }
            assumeTrue(false, "Chromium or chromedriver is not installed: the dashboard's browser tests are skipped");
        }
        var options = new ChromeOptions();
        options.setBinary(chromium.get());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=" + width + "," + height, "--lang=en-US");
        var service = new ChromeDriverService.Builder().usingDriverExecutable(new File(chromedriver.get())).build();
        return new Browser(new ChromeDriver(service, options), baseUrl);
    }

    public static Browser open(String baseUrl) {
        return open(baseUrl, 1366, 900);
    }

    private static Optional<String> first(List<String> paths) {
        return paths.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst();
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Opens a hash route of the dashboard, e.g. {@code "#/customers"}. */
    public Browser go(String route) {
        driver.get(baseUrl + "/" + route);
        return this;
    }

    /** Signs in through the development sign-in of the local cloud. */
    public Browser signIn(String tenant, String user, String role) {
        go("#/signin");
        fill(By.id("sign-in-tenantId"), tenant);
        fill(By.id("sign-in-userId"), user);
        new org.openqa.selenium.support.ui.Select(find(By.id("sign-in-role"))).selectByValue(role);
        find(By.cssSelector("#sign-in-form button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBe(By.id("signed-in-user"), user));
        return this;
    }

    public WebElement find(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    public WebElement clickable(By by) {
        return wait.until(ExpectedConditions.elementToBeClickable(by));
    }

    public Browser click(By by) {
        var element = clickable(by);
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
        element.click();
        return this;
    }

    public Browser fill(By by, String text) {
        var element = find(by);
        element.clear();
        element.sendKeys(text);
        return this;
    }

    /** Waits until {@code by}'s text contains {@code text}; returns that text. */
    public String waitForText(By by, String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(by, text));
        return driver.findElement(by).getText();
    }

    /** Waits until the page's main content shows {@code text}. */
    public void waitForPageText(String text) {
        waitForText(By.id("main"), text);
    }

    public WebDriverWait waiting(Duration timeout) {
        return new WebDriverWait(driver, timeout);
    }

    public Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    /**
     * What on the page fails the basic accessibility rules: a visible control without a label
     * (its own {@code <label>}, {@code aria-label} or {@code aria-labelledby}), a button or link
     * without a name, or a page without exactly one {@code h1}; one line per fault.
     */
    @SuppressWarnings("unchecked")
    public List<String> accessibilityFaults() {
        return (List<String>) script("""
                const faults = [];
                const visible = e => e.getClientRects().length > 0 && e.type !== 'hidden';
                for (const e of document.querySelectorAll('input, select, textarea')) {
                  if (!visible(e)) continue;
                  const named = (e.labels && e.labels.length) || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby');
                  if (!named) faults.push('unlabelled control: ' + e.outerHTML.slice(0, 120));
                }
                for (const e of document.querySelectorAll('button, a[href], [role=button]')) {
                  if (!visible(e)) continue;
                  if (!(e.textContent.trim() || e.getAttribute('aria-label'))) faults.push('nameless ' + e.tagName + ': ' + e.outerHTML.slice(0, 120));
                }
                const h1 = document.querySelectorAll('main h1').length;
                if (h1 !== 1) faults.push('main holds ' + h1 + ' h1 headings');
                return faults;
                """);
    }

    /** Saves the window as {@code target/screenshots/<name>.png}. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            var file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Ends a test's browser with a screenshot where the test stopped ({@code last-<test>.png}). The page's text is
     * not printed: it shows the customers' personal data, which the suite's output must not hold (LogScanTest).
     */
    public void closeAfter(TestInfo test) {
        screenshot("last-" + test.getTestMethod().orElseThrow().getName());
        close();
    }

    @Override
    public void close() {
        driver.quit();
    }
}
