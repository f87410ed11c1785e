package com.clientele.shared;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.shared.http.FieldError;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

class TextTest {

    @Test
    void aLoneSurrogateIsRefusedNamingTheField() {
        for (String bad : new String[] {"Ada\ud800", "\udc00Ada", "A\ud83d", "\ude00\ud83d"}) {
            var errors = new ArrayList<FieldError>();
            assertThat(Text.check(errors, "firstName", bad, true)).isEqualTo(bad);
            assertThat(errors).singleElement().satisfies(e -> {
                assertThat(e.field()).isEqualTo("firstName");
                assertThat(e.message()).contains("well-formed Unicode");
            });
        }
    }

    @Test
    void pairedSurrogatesAndEveryScriptPass() {
        var errors = new ArrayList<FieldError>();
        assertThat(Text.check(errors, "f", "Grace \ud83d\ude00 Hopper, 李, Ωμέγα, ‏", false)).isEqualTo("Grace \ud83d\ude00 Hopper, 李, Ωμέγα, ");
        assertThat(errors).isEmpty();
    }

    @Test
    void zeroWidthAndBidiCharactersAreRemoved() {
        var errors = new ArrayList<FieldError>();
        assertThat(Text.check(errors, "f", "\ufeffA\u200bd\u200c\u200da\u2060 \u202eLove\u2066lace\u2069\u00ad", false))
                .isEqualTo("Ada Lovelace");
        assertThat(errors).isEmpty();
    }

    @Test
    void controlCharactersAreRefusedButTabsAndLineBreaksWhereTextSpansLines() {
        for (String bad : new String[] {"a\u0000b", "a\u0007", "\u001b[31m", "a\u007f", "a\u0085b", "a\u009fb"}) {
            var errors = new ArrayList<FieldError>();
            Text.check(errors, "summary", bad, true);
            assertThat(errors).singleElement().satisfies(e -> assertThat(e.message()).contains("control characters"));
        }
        for (String oneLine : new String[] {"a\nb", "a\tb", "a\rb"}) {
            var errors = new ArrayList<FieldError>();
            Text.check(errors, "firstName", oneLine, false);
            assertThat(errors).hasSize(1);
        }
        var errors = new ArrayList<FieldError>();
        assertThat(Text.check(errors, "summary", "one\r\ntwo\rthree\n\tfour", true)).isEqualTo("one\ntwo\nthree\n\tfour");
        assertThat(errors).isEmpty();
    }

    @Test
    void textIsInNormalisationFormC() {
        var errors = new ArrayList<FieldError>();
        assertThat(Text.check(errors, "f", "Zoe\u0301", false)).isEqualTo("Zoé").hasSize(3);
        assertThat(Text.check(errors, "f", null, false)).isNull();
        assertThat(errors).isEmpty();
    }

    @Test
    void emailsFoldCaseCompatibilityFormsAndInvisibleCharacters() {
        assertThat(Text.email("  Ada@Example.COM ")).isEqualTo("ada@example.com");
        assertThat(Text.email("a\u200bda@example.com")).isEqualTo("ada@example.com");
        assertThat(Text.email("\uff41da@ｅxample.com")).isEqualTo("ada@example.com");
        assertThat(Text.email("ada\ufeff@example.com\u200d")).isEqualTo("ada@example.com");
    }

    @Test
    void storedTextIsRepairedForOutput() {
        assertThat(Text.repair("Ada\ud800 \ud83d\ude00 \udc00")).isEqualTo("Ada\ufffd \ud83d\ude00 \ufffd");
        String fine = "Ada";
        assertThat(Text.repair(fine)).isSameAs(fine);
        assertThat(Text.repair(null)).isNull();
        assertThat(Text.wellFormed("\ud83d\ude00")).isTrue();
        assertThat(Text.wellFormed("\ud83d")).isFalse();
    }
}
