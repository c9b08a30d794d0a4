package io.dbwire.core.protocol.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One row per lexical rule: the input, and the tokens as TYPE:text joined by " | ". Rows quote with
 * {@code ~} so SQL quotes need no escaping.
 */
class SqlLexerTest {

    static String lex(SqlDialect dialect, String sql) {
        SqlLexer lx = new SqlLexer(dialect, sql);
        List<String> out = new ArrayList<>();
        while (lx.next()) {
            out.add(lx.type() + ":" + lx.text() + (lx.unterminated() ? "(unterminated)" : ""));
        }
        return String.join(" | ", out);
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @CsvSource(delimiterString = " ==> ", quoteCharacter = '~', value = {
        // identifiers and keywords: letters, digits, _ and $ after the first character, non-ASCII letters
        "select a_1 FROM t$x ==> WORD:select | WORD:a_1 | WORD:FROM | WORD:t$x",
        "~tëst~ ==> WORD:tëst",
        // quoted identifiers, "" is an escaped quote
        "~\"a\"\"b\".c~ ==> QUOTED_IDENTIFIER:\"a\"\"b\" | DOT:. | WORD:c",
        "~U&\"d\\0061t\"~ ==> QUOTED_IDENTIFIER:U&\"d\\0061t\"",
        // string constants: '' escape, backslash is plain under standard_conforming_strings
        "~'it''s'~ ==> STRING:'it''s'",
        "~'a\\' x~ ==> STRING:'a\\' | WORD:x",
        // E'..' strings: backslash escapes a quote
        "~E'a\\'b' x~ ==> STRING:E'a\\'b' | WORD:x",
        "~e'\\\\'~ ==> STRING:e'\\\\'",
        "~U&'d\\0061' UESCAPE '!'~ ==> STRING:U&'d\\0061' | WORD:UESCAPE | STRING:'!'",
        "~N'abc'~ ==> STRING:N'abc'",
        // bit strings
        "~B'1010' X'1F'~ ==> BIT_STRING:B'1010' | BIT_STRING:X'1F'",
        // dollar quotes, with and without tag, not fooled by $1 or a different tag inside
        "~$$it's; $1$$~ ==> STRING:$$it's; $1$$",
        "~$fn$ a $x$ b $fn$ c~ ==> STRING:$fn$ a $x$ b $fn$ | WORD:c",
        "~$1 $23~ ==> PARAMETER:$1 | PARAMETER:$23",
        "~a$$b~ ==> WORD:a$$b",
        "~$ x~ ==> OTHER:$ | WORD:x",
        // numbers
        "42 3.5 4. .001 5e2 1.5E-3 ==> NUMBER:42 | NUMBER:3.5 | NUMBER:4. | NUMBER:.001 | NUMBER:5e2 | NUMBER:1.5E-3",
        "1_000 0x1F 0o17 0b101 ==> NUMBER:1_000 | NUMBER:0x1F | NUMBER:0o17 | NUMBER:0b101",
        "5e x ==> NUMBER:5 | WORD:e | WORD:x",
        "a[1:2] ==> WORD:a | LEFT_BRACKET:[ | NUMBER:1 | OPERATOR:: | NUMBER:2 | RIGHT_BRACKET:]",
        // operators, the longest run with PostgreSQL's trailing +/- rule
        "a::int ==> WORD:a | TYPECAST::: | WORD:int",
        "j->>'k' ==> WORD:j | OPERATOR:->> | STRING:'k'",
        "a @> b <> c != d || e ==> WORD:a | OPERATOR:@> | WORD:b | OPERATOR:<> | WORD:c | OPERATOR:!= | WORD:d | OPERATOR:|| | WORD:e",
        "x=-1 ==> WORD:x | OPERATOR:= | OPERATOR:- | NUMBER:1",
        "x*-y ==> WORD:x | OPERATOR:* | OPERATOR:- | WORD:y",
        "x@-y ==> WORD:x | OPERATOR:@- | WORD:y",
        "j ? 'k' ?| a ==> WORD:j | OPERATOR:? | STRING:'k' | OPERATOR:?| | WORD:a",
        "f(a => 1, b := 2); ==> WORD:f | LEFT_PAREN:( | WORD:a | OPERATOR:=> | NUMBER:1 | COMMA:, | WORD:b | OPERATOR::= | NUMBER:2 | RIGHT_PAREN:) | SEMICOLON:;",
        // comments: to end of line, nested blocks, and an operator stops before a comment start
        "~a -- c\nb~ ==> WORD:a | COMMENT:-- c | WORD:b",
        "~a /* x /* y */ z */ b~ ==> WORD:a | COMMENT:/* x /* y */ z */ | WORD:b",
        "~x+--c~ ==> WORD:x | OPERATOR:+ | COMMENT:--c",
        "~x*/*c*/y~ ==> WORD:x | OPERATOR:* | COMMENT:/*c*/ | WORD:y",
        // # and backticks are operator characters in PostgreSQL
        "a # b ==> WORD:a | OPERATOR:# | WORD:b",
        // unterminated at end of input: to the end, flagged
        "~'abc~ ==> STRING:'abc(unterminated)",
        "~E'ab\\~ ==> STRING:E'ab\\(unterminated)",
        "~\"abc~ ==> QUOTED_IDENTIFIER:\"abc(unterminated)",
        "~$q$ abc $q~ ==> STRING:$q$ abc $q(unterminated)",
        "~/* a /* b */~ ==> COMMENT:/* a /* b */(unterminated)",
        "~-- to the end~ ==> COMMENT:-- to the end",
    })
    void postgres(String sql, String expected) {
        assertThat(lex(SqlDialect.POSTGRESQL, sql)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "MySQL {0}")
    @CsvSource(delimiterString = " ==> ", quoteCharacter = '~', value = {
        "~`a``b`.c~ ==> QUOTED_IDENTIFIER:`a``b` | DOT:. | WORD:c",
        // "..." is a string in the default sql_mode; backslash escapes in both quote styles
        "~\"it\\\"s\" 'a\\'b' 'c''d'~ ==> STRING:\"it\\\"s\" | STRING:'a\\'b' | STRING:'c''d'",
        "~N'x' _utf8mb4'y'~ ==> STRING:N'x' | WORD:_utf8mb4 | STRING:'y'",
        "~# note\nx~ ==> COMMENT:# note | WORD:x",
        "~-- note\nx~ ==> COMMENT:-- note | WORD:x",
        "~1--1~ ==> NUMBER:1 | OPERATOR:- | OPERATOR:- | NUMBER:1",
        "~x--~ ==> WORD:x | COMMENT:--",
        "~/*! STRAIGHT_JOIN */ a~ ==> COMMENT:/*! STRAIGHT_JOIN */ | WORD:a",
        "~/*+ BKA(t) */ a~ ==> COMMENT:/*+ BKA(t) */ | WORD:a",
        "~/* a /* b */ c~ ==> COMMENT:/* a /* b */ | WORD:c",
        "~X'1F' x'aa' 0x1F b'01' 0b01~ ==> BIT_STRING:X'1F' | BIT_STRING:x'aa' | NUMBER:0x1F | BIT_STRING:b'01' | NUMBER:0b01",
        "~0x1G 1abc 1e5 1.5~ ==> WORD:0x1G | WORD:1abc | NUMBER:1e5 | NUMBER:1.5",
        "~a = ? AND b IN (?,?)~ ==> WORD:a | OPERATOR:= | PARAMETER:? | WORD:AND | WORD:b | WORD:IN | LEFT_PAREN:( | PARAMETER:? | COMMA:, | PARAMETER:? | RIGHT_PAREN:)",
        "~@v := @@global.max_connections~ ==> VARIABLE:@v | OPERATOR::= | VARIABLE:@@global.max_connections",
        "~@'my var' @`x`~ ==> VARIABLE:@'my var' | VARIABLE:@`x`",
        "~a <=> b->>'$.k' <= c && d~ ==> WORD:a | OPERATOR:<=> | WORD:b | OPERATOR:->> | STRING:'$.k' | OPERATOR:<= | WORD:c | OPERATOR:&& | WORD:d",
        "~x=-1~ ==> WORD:x | OPERATOR:= | OPERATOR:- | NUMBER:1",
        "~$x~ ==> WORD:$x",
        "~'abc\\~ ==> STRING:'abc\\(unterminated)",
        "~`abc~ ==> QUOTED_IDENTIFIER:`abc(unterminated)",
    })
    void mysql(String sql, String expected) {
        assertThat(lex(SqlDialect.MYSQL, sql)).isEqualTo(expected);
    }

    @Test
    void reportsOffsetsIntoTheWholeSourceForASubRange() {
        String sql = "xx select 1 yy";
        SqlLexer lx = new SqlLexer(SqlDialect.POSTGRESQL, sql, 3, 11);
        assertThat(lx.next()).isTrue();
        assertThat(lx.start()).isEqualTo(3);
        assertThat(lx.end()).isEqualTo(9);
        assertThat(lx.is("SELECT")).isTrue();
        assertThat(lx.next()).isTrue();
        assertThat(lx.text()).isEqualTo("1");
        assertThat(lx.next()).isFalse();
        assertThat(lx.type()).isNull();
    }

    @Test
    void emptyAndBlankInputHaveNoTokens() {
        assertThat(lex(SqlDialect.POSTGRESQL, "")).isEmpty();
        assertThat(lex(SqlDialect.MYSQL, " \t\r\n\f")).isEmpty();
    }
}
