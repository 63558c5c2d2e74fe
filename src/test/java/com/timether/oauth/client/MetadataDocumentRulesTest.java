package com.timether.oauth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** JSON here is written with ' for ", ID for the matching client_id member, and BASE for ID plus a redirect URI. */
class MetadataDocumentRulesTest {
    private static final String URL = "https://client.example/c.json";
    private static final String BASE = "ID,'redirect_uris':['https://client.example/cb']";

    @Test
    void validate_minimalDocument_fallsBackToTheHostForTheName() throws Exception {
        ClientMetadataDocument document = validate("{BASE,'unknown_field':{'x':[1]}}");

        assertThat(document.clientId()).isEqualTo(URL);
        assertThat(document.clientName()).isEqualTo("client.example");
        assertThat(document.redirectUris()).containsExactly("https://client.example/cb");
        assertThat(document.clientUri()).isEmpty();
    }

    @Test
    void validate_nameWithSurroundingSpaces_isTrimmed() throws Exception {
        assertThat(validate("{BASE,'client_name':'  Acme Notes  '}").clientName())
                .isEqualTo("Acme Notes");
    }

    @Test
    void validate_blankName_fallsBackToTheHost() throws Exception {
        assertThat(validate("{BASE,'client_name':'   '}").clientName()).isEqualTo("client.example");
    }

    @Test
    void validate_nameOfAHundredCharacters_isAccepted() throws Exception {
        String name = "é".repeat(100);

        assertThat(validate("{BASE,'client_name':'" + name + "'}").clientName()).isEqualTo(name);
    }

    @Test
    void validate_codeFlowDeclared_isAccepted() throws Exception {
        String json = "{BASE,'grant_types':['authorization_code','refresh_token'],'response_types':['code']}";

        assertThat(validate(json).clientId()).isEqualTo(URL);
    }

    @Test
    void validate_publicKeysOnly_isAccepted() throws Exception {
        String json = "{BASE,'jwks':{'keys':[{'kty':'EC','crv':'P-256','x':'a','y':'b'}]}}";

        assertThat(validate(json).clientId()).isEqualTo(URL);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "{'redirect_uris':['https://c.example/cb']} | client_id is missing or not a string",
                "{'client_id':7,'redirect_uris':['https://c.example/cb']} | client_id is missing or not a string",
                "{'client_id':'https://client.example/c.json/'} | client_id 'https://client.example/c.json/' does not",
                "{'client_id':'https://CLIENT.example/c.json'} | does not equal the URL",
                "{BASE,ID} | is not valid JSON",
                "{BASE} trailing | is not valid JSON",
                " | is not a JSON object",
                "'https://client.example/c.json' | is not a JSON object",
                "{ID} | redirect_uris is missing or empty",
                "{ID,'redirect_uris':[]} | redirect_uris is missing or empty",
                "{ID,'redirect_uris':'https://c.example/cb'} | redirect_uris is missing or empty",
                "{ID,'redirect_uris':['https://c.example/cb',5]} | redirect_uris[1] is not a string",
                "{ID,'redirect_uris':['https://c.example/cb#x']} | redirect_uris[0]: 'https://c.example/cb#x' must not",
                "{BASE,'client_secret':'s'} | client_secret must not be present",
                "{BASE,'client_secret_expires_at':0} | client_secret_expires_at must not be present",
                "{BASE,'token_endpoint_auth_method':'client_secret_post'} | 'client_secret_post' needs a shared secret",
                "{BASE,'token_endpoint_auth_method':'client_secret_jwt'} | 'client_secret_jwt' needs a shared secret",
                "{BASE,'token_endpoint_auth_method':'private_key_jwt'} | 'private_key_jwt' is not supported; Timether",
                "{BASE,'token_endpoint_auth_method':null} | 'null' is not supported",
                "{BASE,'jwks':{'keys':[{'kty':'RSA','n':'a','e':'b','d':'c'}]}} | symmetric key material (member 'd')",
                "{BASE,'jwks':{'keys':[{'kty':'oct','k':'c'}]}} | (member 'k')",
                "{BASE,'client_name':5} | client_name is not a string",
                "{BASE,'client_name':'Evil\\u0007Bell'} | contains control characters",
                "{BASE,'client_name':'Good\\u202eliveC'} | contains control characters",
                "{BASE,'client_uri':'javascript:alert(1)'} | client_uri 'javascript:alert(1)' must be an https URL",
                "{BASE,'client_uri':'http://client.example/'} | must be an https URL",
                "{BASE,'client_uri':['https://client.example/']} | must be an https URL",
                "{BASE,'grant_types':['client_credentials']} | grant_types [\"client_credentials\"] must include",
                "{BASE,'grant_types':['refresh_token']} | must include authorization_code and may add refresh_token",
                "{BASE,'grant_types':'authorization_code'} | grant_types \"authorization_code\" must include",
                "{BASE,'response_types':['token']} | response_types [\"token\"] must be [\"code\"]",
                "{BASE,'response_types':['code',1]} | response_types [\"code\",1] must be"
            })
    void validate_brokenRule_isRefusedNamingTheField(String json, String problem) {
        String document = json == null ? "" : json;

        assertThatThrownBy(() -> validate(document))
                .isInstanceOf(ClientIdentityException.class)
                .hasMessageStartingWith("client_id document at " + URL)
                .hasMessageContaining(problem);
    }

    @Test
    void validate_nameOverAHundredCharacters_isRefused() {
        String json = "{BASE,'client_name':'" + "n".repeat(101) + "'}";

        assertThatThrownBy(() -> validate(json)).hasMessageContaining("is longer than 100 characters");
    }

    /** Validates {@code json} after expanding BASE and ID and turning ' into ". */
    private static ClientMetadataDocument validate(String json) throws ClientIdentityException {
        String expanded = json.replace("BASE", BASE)
                .replace("ID", "'client_id':'" + URL + "'")
                .replace('\'', '"');
        return MetadataDocumentRules.validate(
                MetadataDocumentUrl.parse(URL), expanded.getBytes(StandardCharsets.UTF_8));
    }
}
