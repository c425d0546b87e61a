package dev.eventpipe.warehouse.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Table, column and schema names as RudderStack's warehouse transformer writes them for PostgreSQL: the ASCII
 * letter-and-digit runs of the name joined by {@code _}, split into words as lodash's {@code snakeCase} does
 * ({@code productId} → {@code product_id}, {@code isISO8601} → {@code is_iso8601}), lower case, leading
 * underscores kept, {@code _} before a leading digit, cut to PostgreSQL's 63 characters, and {@code _} before
 * words RudderStack escapes. Characters outside ASCII letters and digits never reach a name, so every name is a
 * safe identifier (it is quoted in SQL all the same).
 */
public final class Names {
    /** PostgreSQL truncates longer identifiers silently; cutting them here keeps two long names apart knowingly. */
    public static final int MAX_LENGTH = 63;

    // The words RudderStack prefixes with "_" for PostgreSQL (its list is the reserved keywords of PostgreSQL's
    // documentation of older releases, OLD/NEW/OFF included); the same list guards schema names.
    private static final Set<String> RESERVED = Set.of(
            "all",
            "analyse",
            "analyze",
            "and",
            "any",
            "array",
            "as",
            "asc",
            "asymmetric",
            "authorization",
            "between",
            "binary",
            "both",
            "case",
            "cast",
            "check",
            "collate",
            "column",
            "constraint",
            "create",
            "cross",
            "current_date",
            "current_role",
            "current_time",
            "current_timestamp",
            "current_user",
            "default",
            "deferrable",
            "desc",
            "distinct",
            "do",
            "else",
            "end",
            "except",
            "false",
            "for",
            "foreign",
            "freeze",
            "from",
            "full",
            "grant",
            "group",
            "having",
            "ilike",
            "in",
            "initially",
            "inner",
            "intersect",
            "into",
            "is",
            "isnull",
            "join",
            "leading",
            "left",
            "like",
            "limit",
            "localtime",
            "localtimestamp",
            "natural",
            "new",
            "not",
            "notnull",
            "null",
            "off",
            "offset",
            "old",
            "on",
            "only",
            "or",
            "order",
            "outer",
            "overlaps",
            "placing",
            "primary",
            "references",
            "right",
            "select",
            "session_user",
            "similar",
            "some",
            "symmetric",
            "table",
            "then",
            "to",
            "trailing",
            "true",
            "union",
            "unique",
            "user",
            "using",
            "verbose",
            "when",
            "where");

    private static final Pattern ALNUM_RUN = Pattern.compile("[A-Za-z0-9]+");
    private static final Pattern LEADING_UNDERSCORES = Pattern.compile("^_+");
    // A name needs the word-splitting rules when case or digits change inside it or it has separators.
    private static final Pattern NEEDS_WORD_RULES =
            Pattern.compile("[a-z][A-Z]|[A-Z]{2}[a-z]|[0-9][a-zA-Z]|[a-zA-Z][0-9]|[^a-zA-Z0-9 ]");
    // lodash's word alternatives restricted to ASCII letters and digits, tried left to right.
    private static final String WORDS = "[A-Z]?[a-z]+(?=[^A-Za-z0-9]|[A-Z]|$)" // a capitalised or lower-case word
            + "|[A-Z]+(?=[^A-Za-z0-9]|[A-Z][a-z]|$)" // capitals before a capitalised word (XMLHttp)
            + "|[A-Z]?[a-z]+" // a word before digits
            + "|[A-Z]+"
            + "|\\d*(?:1ST|2ND|3RD|(?![123])\\dTH)(?=\\b|[a-z_])" // ordinals stay one word
            + "|\\d*(?:1st|2nd|3rd|(?![123])\\dth)(?=\\b|[A-Z_])"
            + "|\\d+";
    private static final String WORDS_WITH_NUMBERS = "[A-Z]?[a-z]+\\d+|[A-Z]+\\d+|\\d+[A-Z]?[a-z]+|\\d+[A-Z]+|" + WORDS;
    private static final Pattern WORD = Pattern.compile(WORDS);
    private static final Pattern WORD_WITH_NUMBERS = Pattern.compile(WORDS_WITH_NUMBERS);

    private Names() {}

    /**
     * The snake-cased form of a name before it is made safe: RudderStack's {@code transformTableName}. With
     * {@code divideNumbers} digits become words of their own ({@code address2} → {@code address_2}); without (the
     * default), they stay with their letters.
     */
    public static String snake(String raw, boolean divideNumbers) {
        List<String> runs = new ArrayList<>();
        Matcher run = ALNUM_RUN.matcher(raw);
        while (run.find()) runs.add(run.group());
        String joined = String.join("_", runs);
        Matcher leading = LEADING_UNDERSCORES.matcher(raw);
        String name = leading.find() ? leading.group() + words(joined, divideNumbers) : words(joined, divideNumbers);
        if (!name.isEmpty() && Character.isDigit(name.charAt(0))) name = "_" + name;
        return name;
    }

    /** A column name from a key path such as {@code context_userAgent}; empty when nothing is left of it. */
    public static String column(String raw, boolean divideNumbers) {
        return safe(cut(snake(raw, divideNumbers)));
    }

    /** A name already snake-cased (a rule's column, a table such as {@code tracks}) made safe. */
    public static String safe(String name) {
        if (name.isEmpty()) return name;
        String lower = cut(name).toLowerCase(Locale.ROOT);
        return RESERVED.contains(lower) ? cut("_" + lower) : lower;
    }

    /**
     * The table of a track event: its snake-cased name made safe, with {@code _} before the names of the tables
     * RudderStack creates itself, so an event called "users" or "pages" gets a table of its own.
     */
    public static String eventTable(String snakeEventName, boolean divideNumbers) {
        String table = safe(cut(snake(snakeEventName, divideNumbers)));
        return switch (table) {
            case "users", "identifies", "tracks", "pages", "screens", "aliases", "groups", "accounts" -> "_" + table;
            default -> table;
        };
    }

    /**
     * The warehouse schema of a source: the configured namespace, else the source name, as letter-and-digit runs
     * joined by {@code _} and snake-cased; {@code _} before a digit or reserved word; {@code stringempty} when
     * nothing is left (RudderStack's rules).
     */
    public static String namespace(String raw) {
        List<String> runs = new ArrayList<>();
        Matcher run = ALNUM_RUN.matcher(raw);
        while (run.find()) runs.add(run.group());
        String name = words(String.join("_", runs), true);
        if (name.isEmpty()) return "stringempty";
        if (Character.isDigit(name.charAt(0)) || RESERVED.contains(name)) name = "_" + name;
        return cut(name);
    }

    static String words(String s, boolean divideNumbers) {
        if (s.isEmpty()) return s;
        List<String> words = new ArrayList<>();
        if (NEEDS_WORD_RULES.matcher(s).find()) {
            Matcher m = (divideNumbers ? WORD : WORD_WITH_NUMBERS).matcher(s);
            while (m.find()) words.add(m.group());
        } else {
            Matcher m = ALNUM_RUN.matcher(s);
            while (m.find()) words.add(m.group());
        }
        return String.join("_", words).toLowerCase(Locale.ROOT);
    }

    private static String cut(String name) {
        return name.length() <= MAX_LENGTH ? name : name.substring(0, MAX_LENGTH);
    }
}
