package com.timether.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHasherTest {
    /** Made by password4j 1.8.4, which hashed Timether's passwords before Bouncy Castle did, for "timether-demo". */
    private static final String PASSWORD4J_HASH =
            "$argon2id$v=19$m=19456,t=2,p=1$zZl93uuSdfV/RgIbNzmqtQ" + "$Grqh1E8NHtIXeCxMDXRbrYuxFYr+DIQ1yMQsFMD0q8I";

    private final PasswordHasher hasher = new PasswordHasher(1);

    @Test
    void hash_password_isArgon2idAtOwaspCostWithFreshSaltAndMatchesOnlyItself() {
        String first = hasher.hash("correct horse battery");
        String second = hasher.hash("correct horse battery");

        assertThat(first).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(second).isNotEqualTo(first);
        assertThat(hasher.matches("correct horse battery", first)).isTrue();
        assertThat(hasher.matches("correct horse battery", second)).isTrue();
        assertThat(hasher.matches("correct horse batterY", first)).isFalse();
        assertThat(hasher.matches("", first)).isFalse();
    }

    @Test
    void matches_hashStoredByPassword4j_stillVerifies() {
        assertThat(hasher.matches("timether-demo", PASSWORD4J_HASH)).isTrue();
        assertThat(hasher.matches("timether-demo!", PASSWORD4J_HASH)).isFalse();
    }

    @Test
    void matches_nonAsciiPassword_roundTrips() {
        String hash = hasher.hash("pässwörd-ünïcode-🔑");

        assertThat(hasher.matches("pässwörd-ünïcode-🔑", hash)).isTrue();
        assertThat(hasher.matches("passwort-unicode-🔑", hash)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "plain-text-password",
                "$argon2i$v=19$m=19456,t=2,p=1$zZl93uuSdfV/RgIbNzmqtQ$Grqh1E8NHtIXeCxMDXRbrYuxFYr+DIQ1yMQsFMD0q8I",
                "$argon2id$v=16$m=19456,t=2,p=1$zZl93uuSdfV/RgIbNzmqtQ$Grqh1E8NHtIXeCxMDXRbrYuxFYr+DIQ1yMQsFMD0q8I",
                "$argon2id$v=19$m=999999999,t=2,p=1$zZl93uuSdfV/RgIbNzmqtQ$Grqh1E8NHtIXeCxMDXRbrYuxFYr+DIQ1yMQsFMD0q8I",
                "$argon2id$v=19$m=19456,t=500,p=1$zZl93uuSdfV/RgIbNzmqtQ$Grqh1E8NHtIXeCxMDXRbrYuxFYr+DIQ1yMQsFMD0q8I",
                "$argon2id$v=19$m=19456,t=2,p=0$zZl93uuSdfV/RgIbNzmqtQ$Grqh1E8NHtIXeCxMDXRbrYuxFYr+DIQ1yMQsFMD0q8I",
                "$argon2id$v=19$m=19456,t=2,p=1$zZl93uuSdfV/RgIbNzmqtQ$short"
            })
    void matches_storedValueThatIsNotASaneArgon2idHash_isFalse(String stored) {
        assertThat(hasher.matches("timether-demo", stored)).isFalse();
    }
}
