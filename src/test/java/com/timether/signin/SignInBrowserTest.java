package com.timether.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.account.User;
import com.timether.testing.TestBrowser;
import com.timether.testing.TestClient;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

class SignInBrowserTest {

    @Test
    void signIn_demoOwner_seesWorkspacesAndCanSignOut() {
        WebDriver browser = TestBrowser.fresh();
        browser.get(TestServer.baseUrl() + "/account");

        fillSignIn(browser, "ada@example.com", "timether-demo");

        assertThat(browser.getCurrentUrl()).endsWith("/account");
        String page = browser.findElement(By.tagName("table")).getText();
        assertThat(page).contains("Northwind Studio", "Ada Solo", "Old Mill");
        TestBrowser.clickAndWaitForNextPage(browser, browser.findElement(By.xpath("//button[text()='Sign out']")));
        assertThat(browser.getCurrentUrl()).endsWith("/signin");
        browser.get(TestServer.baseUrl() + "/account");
        assertThat(browser.getCurrentUrl()).contains("/signin");
    }

    @Test
    void signIn_disabledAccount_isRefused() {
        WebDriver browser = TestBrowser.fresh();
        browser.get(TestServer.baseUrl() + "/signin");

        fillSignIn(browser, "gus@example.com", "timether-demo");

        assertThat(browser.findElement(By.cssSelector("[role=alert]")).getText())
                .contains("disabled");
        assertThat(browser.getCurrentUrl()).contains("/signin");
    }

    @Test
    void signIn_sessionCookie_isHttpOnlyLaxAndInvisibleToPageScripts() {
        User user = TestData.user(TestServer.app());
        WebDriver browser = TestBrowser.fresh();
        browser.get(TestServer.baseUrl() + "/signin");

        fillSignIn(browser, user.email(), TestData.PASSWORD);

        assertThat(browser.getCurrentUrl()).endsWith("/account");
        Cookie cookie = browser.manage().getCookieNamed(TestClient.SESSION_COOKIE);
        assertThat(cookie).isNotNull();
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Lax");
        Object visibleToScripts = ((JavascriptExecutor) browser).executeScript("return document.cookie");
        assertThat(String.valueOf(visibleToScripts)).doesNotContain(TestClient.SESSION_COOKIE);
    }

    static void fillSignIn(WebDriver browser, String email, String password) {
        browser.findElement(By.xpath("//label[text()='Email']/following-sibling::input[1]"))
                .sendKeys(email);
        browser.findElement(By.xpath("//label[text()='Password']/following-sibling::input[1]"))
                .sendKeys(password);
        TestBrowser.clickAndWaitForNextPage(browser, browser.findElement(By.xpath("//button[text()='Sign in']")));
    }
}
