package com.timether.testing;

import java.time.Duration;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The one headless Chromium every browser test in this JVM shares; tests clear cookies before they start. */
public final class TestBrowser {
    private static ChromeDriver driver;

    private TestBrowser() {}

    /** The shared browser with no cookies, started on first use. */
    public static synchronized WebDriver fresh() {
        if (driver == null) {
            ChromeOptions options = new ChromeOptions();
            options.setBinary("/usr/bin/chromium");
            options.addArguments(
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-quic");
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver"))
                    .build();
            driver = new ChromeDriver(service, options);
            driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(2));
            Runtime.getRuntime().addShutdownHook(new Thread(driver::quit));
        }
        // deleteAllCookies() clears only the current page's origin; a test that ended on another origin (an OAuth
        // client's loopback redirect) would leave its session on the server's origin to the next test.
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
        driver.manage().deleteAllCookies();
        return driver;
    }

    /**
     * Clicks a submit button and waits until the next page has loaded: a click may return before the browser
     * navigates. The old page is marked with a script variable, which the next document no longer has; while the
     * page changes, Chromium may answer a probe with an error about a node of the old document, hence ignoring
     * WebDriver errors between probes (waiting for the button to go stale alone failed that way).
     */
    public static void clickAndWaitForNextPage(WebDriver browser, WebElement button) {
        JavascriptExecutor page = (JavascriptExecutor) browser;
        page.executeScript("window.timetherOldPage = true;");
        button.click();
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .ignoring(WebDriverException.class)
                .until(b -> Boolean.TRUE.equals(((JavascriptExecutor) b)
                        .executeScript("return window.timetherOldPage === undefined"
                                + " && document.readyState === 'complete';")));
    }
}
