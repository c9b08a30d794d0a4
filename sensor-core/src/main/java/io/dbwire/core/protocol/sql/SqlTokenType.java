package io.dbwire.core.protocol.sql;

/** What a {@link SqlLexer} token is. White space is never a token; comments are, so callers decide. */
public enum SqlTokenType {
    /** An unquoted identifier or keyword: the lexer does not tell them apart, the grammar would. */
    WORD,
    /** {@code "a""b"}, PostgreSQL {@code U&"..."}, MySQL {@code `a``b`}. */
    QUOTED_IDENTIFIER,
    /** A character string constant in any form: {@code '..'}, {@code E'..'}, {@code U&'..'}, {@code N'..'},
     *  {@code $tag$..$tag$}, MySQL {@code "..."}. */
    STRING,
    /** {@code B'..'} and {@code X'..'}. */
    BIT_STRING,
    /** Integer, decimal, exponent and radix-prefixed ({@code 0x1F}) numbers, without a sign. */
    NUMBER,
    /** PostgreSQL {@code $1}, MySQL {@code ?}. */
    PARAMETER,
    /** MySQL {@code @var}, {@code @'quoted'} and {@code @@sysvar}. */
    VARIABLE,
    /** An operator, possibly several characters long ({@code ->>}, {@code @>}, {@code <=>}). */
    OPERATOR,
    /** PostgreSQL {@code ::}. */
    TYPECAST,
    LEFT_PAREN,
    RIGHT_PAREN,
    LEFT_BRACKET,
    RIGHT_BRACKET,
    COMMA,
    SEMICOLON,
    DOT,
    /**
     * {@code -- ..}, {@code /* .. *}{@code /}; MySQL also {@code # ..}, {@code /*! .. *}{@code /} and
     * {@code /*+ .. *}{@code /}.
     */
    COMMENT,
    /** A character no rule accepts, such as a lone {@code $} or {@code {}; one character per token. */
    OTHER
}
