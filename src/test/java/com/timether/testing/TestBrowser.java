package com.timether.testing;

import java.time.Duration;
import java.util.Map;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

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
}
