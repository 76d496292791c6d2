/* expr.c: the equation language of model files (DESIGN §5), from source text to numbers.
 *
 * A model's equations are compiled once and then evaluated for every year of every path, so
 * the work is split accordingly. Compilation (lexer + recursive-descent parser) emits code
 * directly, without an AST: the parser drives a compile-time stack of operand descriptors
 * (constant, `year`, slot load, or a value already computed into a register) that mirrors the
 * run-time operand stack. When an operator is applied to constants only, it is folded on the
 * spot; otherwise one instruction is emitted whose operands are named explicitly. Registers are
 * stack positions: the value at stack depth p lives in scratch vector p, so the scratch needed
 * is the deepest stack, and slot loads need no instruction at all (an operand can point
 * straight into the caller's data). Evaluation is one tight loop over the lanes per
 * instruction, with contiguous doubles, which the compiler can vectorize; it allocates nothing,
 * writes no globals and only reads the program, so threads can share one program. */
#include "expr.h"

#include "mem.h"
#include "text.h"

#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
#define EXPR_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define EXPR_PRINTF(fmt, args)
#endif

/* Not M_PI / M_E: those are XSI extensions, absent under strict C11 + POSIX. */
static const double expr_pi = 3.14159265358979323846264338327950288;
static const double expr_e = 2.71828182845904523536028747135266250;

/* ------------------------------------------------------------------------------------------
 * Instructions and programs
 * ------------------------------------------------------------------------------------------ */

/* Every operator and function has its own opcode (the "function id" is the opcode), so each
 * evaluates as its own lane loop with no inner dispatch. */
enum expr_op {
    EXPR_OP_FILL,      /* dest = value (a constant broadcast to all lanes) */
    EXPR_OP_FILL_YEAR, /* dest = frame->year */
    EXPR_OP_COPY,      /* dest = arg0 (only when the whole equation is a single load) */
    EXPR_OP_NEG,
    EXPR_OP_ADD,
    EXPR_OP_SUB,
    EXPR_OP_MUL,
    EXPR_OP_DIV,
    EXPR_OP_POW,
    EXPR_OP_LT,
    EXPR_OP_LE,
    EXPR_OP_GT,
    EXPR_OP_GE,
    EXPR_OP_EQ,
    EXPR_OP_NE,
    EXPR_OP_AND,
    EXPR_OP_OR,
    EXPR_OP_NOT,
    EXPR_OP_ABS,
    EXPR_OP_EXP,
    EXPR_OP_LOG,
    EXPR_OP_SQRT,
    EXPR_OP_SIN,
    EXPR_OP_COS,
    EXPR_OP_TAN,
    EXPR_OP_FLOOR,
    EXPR_OP_CEIL,
    EXPR_OP_ROUND,
    EXPR_OP_MIN, /* binary; min(a, b, c) compiles to min(min(a, b), c) to keep the stack shallow */
    EXPR_OP_MAX,
    EXPR_OP_CLAMP,
    EXPR_OP_SELECT, /* if(c, a, b) */
    EXPR_OP_COUNT
};

static const struct {
    const char *name; /* for dumps */
    int arity;        /* operands read from the stack */
} expr_op_info[EXPR_OP_COUNT] = {
    [EXPR_OP_FILL] = {"fill", 0},   [EXPR_OP_FILL_YEAR] = {"year", 0}, [EXPR_OP_COPY] = {"copy", 1},
    [EXPR_OP_NEG] = {"neg", 1},     [EXPR_OP_ADD] = {"add", 2},        [EXPR_OP_SUB] = {"sub", 2},
    [EXPR_OP_MUL] = {"mul", 2},     [EXPR_OP_DIV] = {"div", 2},        [EXPR_OP_POW] = {"pow", 2},
    [EXPR_OP_LT] = {"lt", 2},       [EXPR_OP_LE] = {"le", 2},          [EXPR_OP_GT] = {"gt", 2},
    [EXPR_OP_GE] = {"ge", 2},       [EXPR_OP_EQ] = {"eq", 2},          [EXPR_OP_NE] = {"ne", 2},
    [EXPR_OP_AND] = {"and", 2},     [EXPR_OP_OR] = {"or", 2},          [EXPR_OP_NOT] = {"not", 1},
    [EXPR_OP_ABS] = {"abs", 1},     [EXPR_OP_EXP] = {"exp", 1},        [EXPR_OP_LOG] = {"log", 1},
    [EXPR_OP_SQRT] = {"sqrt", 1},   [EXPR_OP_SIN] = {"sin", 1},        [EXPR_OP_COS] = {"cos", 1},
    [EXPR_OP_TAN] = {"tan", 1},     [EXPR_OP_FLOOR] = {"floor", 1},    [EXPR_OP_CEIL] = {"ceil", 1},
    [EXPR_OP_ROUND] = {"round", 1}, [EXPR_OP_MIN] = {"min", 2},        [EXPR_OP_MAX] = {"max", 2},
    [EXPR_OP_CLAMP] = {"clamp", 3}, [EXPR_OP_SELECT] = {"select", 3},
};

/* The functions callable in equations. max_args < 0: no upper limit. */
typedef struct expr_function {
    const char *name;
    enum expr_op op;
    int min_args;
    int max_args;
} expr_function;

static const expr_function expr_functions[] = {
    {"min", EXPR_OP_MIN, 2, -1},     {"max", EXPR_OP_MAX, 2, -1},   {"abs", EXPR_OP_ABS, 1, 1},
    {"exp", EXPR_OP_EXP, 1, 1},      {"log", EXPR_OP_LOG, 1, 1},    {"sqrt", EXPR_OP_SQRT, 1, 1},
    {"sin", EXPR_OP_SIN, 1, 1},      {"cos", EXPR_OP_COS, 1, 1},    {"tan", EXPR_OP_TAN, 1, 1},
    {"floor", EXPR_OP_FLOOR, 1, 1},  {"ceil", EXPR_OP_CEIL, 1, 1},  {"round", EXPR_OP_ROUND, 1, 1},
    {"pow", EXPR_OP_POW, 2, 2},      {"clamp", EXPR_OP_CLAMP, 3, 3}, {"if", EXPR_OP_SELECT, 3, 3},
};
#define EXPR_FUNCTION_COUNT (sizeof expr_functions / sizeof expr_functions[0])

/* Same names as expr_functions, as the flat array text_suggest wants. */
static const char *const expr_function_names[EXPR_FUNCTION_COUNT] = {
    "min", "max", "abs", "exp", "log", "sqrt", "sin", "cos", "tan", "floor", "ceil", "round", "pow", "clamp", "if",
};

enum expr_arg_kind { EXPR_ARG_REG, EXPR_ARG_SLOT };

/* An instruction operand: scratch register `index`, or slot `index` at lag `lag`. */
typedef struct expr_arg {
    unsigned char kind;
    unsigned char lag; /* <= EXPR_MAX_LAG */
    int index;
} expr_arg;

#define EXPR_DEST_OUT (-1)

typedef struct expr_insn {
    unsigned char op;
    int dest;     /* scratch register, or EXPR_DEST_OUT for the result */
    double value; /* EXPR_OP_FILL only */
    expr_arg arg[3];
} expr_insn;

struct expr_program {
    expr_insn *code;
    size_t code_count;
    expr_ref *refs;
    size_t ref_count;
    size_t registers; /* scratch vectors needed */
};

/* ------------------------------------------------------------------------------------------
 * Scalar semantics, shared by constant folding and the lane loops so both agree bit for bit
 * ------------------------------------------------------------------------------------------ */

static inline double expr_bool(int truth)
{
    return truth ? 1.0 : 0.0;
}

/* min/max propagate NaN (fmin/fmax would drop it), so a NaN input is visible in the result
 * instead of silently turning into the other argument. */
static inline double expr_min2(double a, double b)
{
    return (a < b || isnan(a)) ? a : b;
}

static inline double expr_max2(double a, double b)
{
    return (a > b || isnan(a)) ? a : b;
}

/* Both branches arrive as values (already loaded), so the lane loop is a branch-free blend. */
static inline double expr_select(double condition, double if_true, double if_false)
{
    return condition != 0.0 ? if_true : if_false;
}

/* clamp(x, lo, hi) = min(max(x, lo), hi): when lo > hi, hi wins. */
static inline double expr_clamp(double x, double lo, double hi)
{
    return expr_min2(expr_max2(x, lo), hi);
}

static double expr_fold(int op, const double *v)
{
    switch (op) {
    case EXPR_OP_NEG: return -v[0];
    case EXPR_OP_ADD: return v[0] + v[1];
    case EXPR_OP_SUB: return v[0] - v[1];
    case EXPR_OP_MUL: return v[0] * v[1];
    case EXPR_OP_DIV: return v[0] / v[1];
    case EXPR_OP_POW: return pow(v[0], v[1]);
    case EXPR_OP_LT: return expr_bool(v[0] < v[1]);
    case EXPR_OP_LE: return expr_bool(v[0] <= v[1]);
    case EXPR_OP_GT: return expr_bool(v[0] > v[1]);
    case EXPR_OP_GE: return expr_bool(v[0] >= v[1]);
    case EXPR_OP_EQ: return expr_bool(v[0] == v[1]);
    case EXPR_OP_NE: return expr_bool(v[0] != v[1]);
    case EXPR_OP_AND: return expr_bool(v[0] != 0.0 && v[1] != 0.0);
    case EXPR_OP_OR: return expr_bool(v[0] != 0.0 || v[1] != 0.0);
    case EXPR_OP_NOT: return expr_bool(v[0] == 0.0);
    case EXPR_OP_ABS: return fabs(v[0]);
    case EXPR_OP_EXP: return exp(v[0]);
    case EXPR_OP_LOG: return log(v[0]);
    case EXPR_OP_SQRT: return sqrt(v[0]);
    case EXPR_OP_SIN: return sin(v[0]);
    case EXPR_OP_COS: return cos(v[0]);
    case EXPR_OP_TAN: return tan(v[0]);
    case EXPR_OP_FLOOR: return floor(v[0]);
    case EXPR_OP_CEIL: return ceil(v[0]);
    case EXPR_OP_ROUND: return round(v[0]);
    case EXPR_OP_MIN: return expr_min2(v[0], v[1]);
    case EXPR_OP_MAX: return expr_max2(v[0], v[1]);
    case EXPR_OP_CLAMP: return expr_clamp(v[0], v[1], v[2]);
    case EXPR_OP_SELECT: return expr_select(v[0], v[1], v[2]);
    default: return NAN;
    }
}

/* ------------------------------------------------------------------------------------------
 * Lexer
 * ------------------------------------------------------------------------------------------ */

enum expr_token_kind {
    EXPR_TOK_END,
    EXPR_TOK_ERROR, /* a lexical error; its message waits in lex_message until the parser looks */
    EXPR_TOK_NUMBER,
    EXPR_TOK_NAME,
    EXPR_TOK_AND,
    EXPR_TOK_OR,
    EXPR_TOK_NOT,
    EXPR_TOK_PLUS,
    EXPR_TOK_MINUS,
    EXPR_TOK_STAR,
    EXPR_TOK_SLASH,
    EXPR_TOK_CARET,
    EXPR_TOK_PERCENT,
    EXPR_TOK_LPAREN,
    EXPR_TOK_RPAREN,
    EXPR_TOK_LBRACKET,
    EXPR_TOK_RBRACKET,
    EXPR_TOK_COMMA,
    EXPR_TOK_LT,
    EXPR_TOK_LE,
    EXPR_TOK_GT,
    EXPR_TOK_GE,
    EXPR_TOK_EQ,
    EXPR_TOK_NE
};

typedef struct expr_token {
    enum expr_token_kind kind;
    size_t start;  /* byte offset in the source */
    size_t length; /* bytes */
    double number; /* EXPR_TOK_NUMBER */
    int is_integer; /* EXPR_TOK_NUMBER written with digits only (the only form a lag accepts) */
} expr_token;

/* A compile-time stack entry: what the run-time stack will hold at this position. */
enum expr_value_kind { EXPR_VALUE_CONST, EXPR_VALUE_YEAR, EXPR_VALUE_SLOT, EXPR_VALUE_REG };

typedef struct expr_value {
    enum expr_value_kind kind;
    int index; /* slot or register */
    int lag;
    double number;
} expr_value;

typedef struct expr_compiler {
    const char *source;
    size_t length;
    const char *const *names;
    size_t name_count;
    expr_error *err;
    int failed;

    size_t pos; /* lexer position (bytes) */
    expr_token tok;
    char lex_message[sizeof ((expr_error *)0)->message];
    int depth;

    expr_value *stack;
    size_t stack_count, stack_cap;
    expr_insn *code;
    size_t code_count, code_cap;
    expr_ref *refs;
    size_t ref_count, ref_cap;
} expr_compiler;

/* 1-based column of a byte offset, counting code points (UTF-8 continuation bytes do not
 * start a character). */
static int expr_column(const char *source, size_t offset)
{
    int column = 1;
    for (size_t i = 0; i < offset && source[i]; i++)
        if (((unsigned char)source[i] & 0xC0) != 0x80)
            column++;
    return column;
}

/* Byte length of at most `max` bytes of s[0..len) without splitting a UTF-8 sequence, so
 * quoted text in messages stays valid UTF-8. */
static int expr_clip(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return (int)len;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return (int)max;
}

EXPR_PRINTF(3, 4)
static int expr_fail(expr_compiler *c, size_t offset, const char *fmt, ...)
{
    if (c->failed)
        return -1;
    c->failed = 1;
    c->err->column = expr_column(c->source, offset);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err->message, sizeof c->err->message, fmt, ap);
    va_end(ap);
    return -1;
}

static int expr_fail_oom(expr_compiler *c)
{
    if (c->failed)
        return -1;
    c->failed = 1;
    c->err->column = 0;
    snprintf(c->err->message, sizeof c->err->message, "out of memory");
    return -1;
}

/* Letters outside ASCII that may appear in names (Latin, Greek, Cyrillic, kana, CJK, hangul).
 * Deliberately a whitelist: fullwidth punctuation such as '（' '，' '＋' and the ideographic
 * space look like syntax but are not, and must be reported where they are. */
static int expr_is_name_codepoint(unsigned cp)
{
    return cp == 0xAA || cp == 0xB5 || cp == 0xBA || (cp >= 0xC0 && cp <= 0x2AF && cp != 0xD7 && cp != 0xF7) ||
           (cp >= 0x391 && cp <= 0x3C9) || (cp >= 0x400 && cp <= 0x4FF) || (cp >= 0x3041 && cp <= 0x3096) ||
           (cp >= 0x30A1 && cp <= 0x30FA) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FA1F);
}

static int expr_is_ascii_letter(int ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
}

static int expr_is_digit(int ch)
{
    return ch >= '0' && ch <= '9';
}

/* Bytes taken by a name character at s, or 0 if s does not continue a name. */
static int expr_name_char(const char *s, int first)
{
    unsigned char ch = (unsigned char)*s;
    if (expr_is_ascii_letter(ch) || (!first && expr_is_digit(ch)))
        return 1;
    if (ch < 0x80)
        return 0;
    unsigned cp;
    int n = text_utf8_next(s, &cp);
    return expr_is_name_codepoint(cp) ? n : 0;
}

EXPR_PRINTF(3, 4)
static void expr_lex_error(expr_compiler *c, size_t start, const char *fmt, ...)
{
    c->tok.kind = EXPR_TOK_ERROR;
    c->tok.start = start;
    c->tok.length = 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->lex_message, sizeof c->lex_message, fmt, ap);
    va_end(ap);
}

/* Number := digits ["." digits] | "." digits, then optional exponent. The lexeme is converted
 * by strtod, which honours LC_NUMERIC: if the program has set a locale whose decimal point is
 * not '.', the '.' is swapped for it so "1.5" still reads as 1.5. */
static void expr_lex_number(expr_compiler *c, size_t start)
{
    const char *s = c->source;
    size_t i = start;
    int is_integer = 1;
    while (expr_is_digit(s[i]))
        i++;
    if (s[i] == '.') {
        is_integer = 0;
        i++;
        while (expr_is_digit(s[i]))
            i++;
    }
    if ((s[i] == 'e' || s[i] == 'E') &&
        (expr_is_digit(s[i + 1]) || ((s[i + 1] == '+' || s[i + 1] == '-') && expr_is_digit(s[i + 2])))) {
        is_integer = 0;
        i += 2;
        while (expr_is_digit(s[i]))
            i++;
    }
    size_t length = i - start;

    /* The source is at most EXPR_MAX_SOURCE bytes; a multi-byte decimal point adds a few. */
    char buf[EXPR_MAX_SOURCE + 16];
    const char *point = localeconv()->decimal_point;
    int swap_point = point && *point && strcmp(point, ".") != 0;
    size_t point_len = swap_point ? strlen(point) : 1;
    size_t n = 0;
    for (size_t k = start; k < i && n + point_len < sizeof buf; k++) {
        if (s[k] == '.' && swap_point) {
            memcpy(buf + n, point, point_len);
            n += point_len;
        } else {
            buf[n++] = s[k];
        }
    }
    buf[n] = '\0';
    double value = strtod(buf, NULL);

    if (isinf(value)) {
        expr_lex_error(c, start, "number '%.*s' is too large", expr_clip(s + start, length, 40), s + start);
        return;
    }
    c->tok.kind = EXPR_TOK_NUMBER;
    c->tok.start = start;
    c->tok.length = length;
    c->tok.number = value;
    c->tok.is_integer = is_integer;
    c->pos = i;
}

/* Advances c->tok to the next token. Errors become EXPR_TOK_ERROR tokens rather than being
 * reported at once: the parser may still find an error further left (the token before, whose
 * meaning depends on this lookahead), and the leftmost error is the one to report. */
static void expr_next(expr_compiler *c)
{
    const char *s = c->source;
    size_t i = c->pos;
    while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f' || s[i] == '\v')
        i++;
    c->tok.start = i;
    c->tok.length = 1;
    c->tok.is_integer = 0;
    unsigned char ch = (unsigned char)s[i];
    if (ch == '\0') {
        c->tok.kind = EXPR_TOK_END;
        c->tok.length = 0;
        c->pos = i;
        return;
    }
    if (expr_is_digit(ch) || (ch == '.' && expr_is_digit(s[i + 1]))) {
        expr_lex_number(c, i);
        return;
    }
    int n = expr_name_char(s + i, 1);
    if (n > 0) {
        size_t end = i + (size_t)n;
        while ((n = expr_name_char(s + end, 0)) > 0)
            end += (size_t)n;
        c->tok.kind = EXPR_TOK_NAME;
        c->tok.length = end - i;
        c->pos = end;
        /* and/or/not are tokens of their own; the other reserved words are names the parser
         * recognizes before it consults the symbol table. */
        if (c->tok.length == 3 && memcmp(s + i, "and", 3) == 0)
            c->tok.kind = EXPR_TOK_AND;
        else if (c->tok.length == 2 && memcmp(s + i, "or", 2) == 0)
            c->tok.kind = EXPR_TOK_OR;
        else if (c->tok.length == 3 && memcmp(s + i, "not", 3) == 0)
            c->tok.kind = EXPR_TOK_NOT;
        return;
    }

    enum expr_token_kind kind;
    size_t length = 1;
    switch (ch) {
    case '+': kind = EXPR_TOK_PLUS; break;
    case '-': kind = EXPR_TOK_MINUS; break;
    case '*': kind = EXPR_TOK_STAR; break;
    case '/': kind = EXPR_TOK_SLASH; break;
    case '^': kind = EXPR_TOK_CARET; break;
    case '%': kind = EXPR_TOK_PERCENT; break;
    case '(': kind = EXPR_TOK_LPAREN; break;
    case ')': kind = EXPR_TOK_RPAREN; break;
    case '[': kind = EXPR_TOK_LBRACKET; break;
    case ']': kind = EXPR_TOK_RBRACKET; break;
    case ',': kind = EXPR_TOK_COMMA; break;
    case '<':
        kind = s[i + 1] == '=' ? EXPR_TOK_LE : EXPR_TOK_LT;
        length = s[i + 1] == '=' ? 2 : 1;
        break;
    case '>':
        kind = s[i + 1] == '=' ? EXPR_TOK_GE : EXPR_TOK_GT;
        length = s[i + 1] == '=' ? 2 : 1;
        break;
    case '=':
        if (s[i + 1] != '=') {
            expr_lex_error(c, i, "unexpected character '=' (use '==' to compare)");
            return;
        }
        kind = EXPR_TOK_EQ;
        length = 2;
        break;
    case '!':
        if (s[i + 1] != '=') {
            expr_lex_error(c, i, "unexpected character '!' (use 'not' or '!=')");
            return;
        }
        kind = EXPR_TOK_NE;
        length = 2;
        break;
    case '&': expr_lex_error(c, i, "unexpected character '&' (use 'and')"); return;
    case '|': expr_lex_error(c, i, "unexpected character '|' (use 'or')"); return;
    default:
        if (ch >= 0x80) {
            unsigned cp;
            int bytes = text_utf8_next(s + i, &cp);
            expr_lex_error(c, i, "unexpected character '%.*s' (U+%04X)", bytes, s + i, cp);
        } else if (ch < 0x20 || ch == 0x7F) {
            expr_lex_error(c, i, "unexpected character U+%04X", (unsigned)ch);
        } else {
            expr_lex_error(c, i, "unexpected character '%c'", ch);
        }
        return;
    }
    c->tok.kind = kind;
    c->tok.length = length;
    c->pos = i + length;
}

/* ------------------------------------------------------------------------------------------
 * Code generation (driven by the parser)
 * ------------------------------------------------------------------------------------------ */

static int expr_grow(expr_compiler *c, void **array, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t new_cap = *cap ? *cap * 2 : 16;
    while (new_cap < need)
        new_cap *= 2;
    size_t bytes;
    if (!mem_size_mul(new_cap, elem, &bytes))
        return expr_fail_oom(c);
    void *grown = mem_realloc(*array, bytes);
    if (!grown)
        return expr_fail_oom(c);
    *array = grown;
    *cap = new_cap;
    return 0;
}

static int expr_push(expr_compiler *c, expr_value value)
{
    void *stack = c->stack;
    if (expr_grow(c, &stack, &c->stack_cap, c->stack_count + 1, sizeof *c->stack) != 0)
        return -1;
    c->stack = stack;
    c->stack[c->stack_count++] = value;
    return 0;
}

static int expr_push_const(expr_compiler *c, double number)
{
    return expr_push(c, (expr_value){.kind = EXPR_VALUE_CONST, .number = number});
}

static int expr_push_slot(expr_compiler *c, int slot, int lag)
{
    size_t i;
    for (i = 0; i < c->ref_count; i++)
        if (c->refs[i].slot == slot && c->refs[i].lag == lag)
            break;
    if (i == c->ref_count) {
        void *refs = c->refs;
        if (expr_grow(c, &refs, &c->ref_cap, c->ref_count + 1, sizeof *c->refs) != 0)
            return -1;
        c->refs = refs;
        c->refs[c->ref_count++] = (expr_ref){.slot = slot, .lag = lag};
    }
    return expr_push(c, (expr_value){.kind = EXPR_VALUE_SLOT, .index = slot, .lag = lag});
}

static int expr_emit(expr_compiler *c, expr_insn insn)
{
    void *code = c->code;
    if (expr_grow(c, &code, &c->code_cap, c->code_count + 1, sizeof *c->code) != 0)
        return -1;
    c->code = code;
    c->code[c->code_count++] = insn;
    return 0;
}

/* Lowest register not holding a value on the compile-time stack. Operands are still on the
 * stack when an instruction's destination is chosen, so the destination never overlaps an
 * operand: the lane loops can then promise the compiler no aliasing (restrict). */
static int expr_free_register(const expr_compiler *c)
{
    for (int reg = 0;; reg++) {
        size_t i;
        for (i = 0; i < c->stack_count; i++)
            if (c->stack[i].kind == EXPR_VALUE_REG && c->stack[i].index == reg)
                break;
        if (i == c->stack_count)
            return reg;
    }
}

/* Broadcasts a scalar operand (constant or year) into a free register just before an
 * instruction needs it as a vector. */
static int expr_materialize(expr_compiler *c, expr_value *value)
{
    expr_insn insn = {.op = EXPR_OP_FILL, .dest = expr_free_register(c)};
    if (value->kind == EXPR_VALUE_YEAR)
        insn.op = EXPR_OP_FILL_YEAR;
    else
        insn.value = value->number;
    if (expr_emit(c, insn) != 0)
        return -1;
    *value = (expr_value){.kind = EXPR_VALUE_REG, .index = insn.dest};
    return 0;
}

/* Applies `op` to the top arity(op) stack entries: folds it if they are all constants, else
 * emits one instruction into a register distinct from its operands. */
static int expr_apply(expr_compiler *c, enum expr_op op)
{
    size_t argc = (size_t)expr_op_info[op].arity;
    size_t base = c->stack_count - argc;
    expr_value *v = c->stack + base;
    int all_const = 1;
    for (size_t i = 0; i < argc; i++)
        if (v[i].kind != EXPR_VALUE_CONST)
            all_const = 0;
    if (all_const) {
        double args[3] = {0, 0, 0};
        for (size_t i = 0; i < argc; i++)
            args[i] = v[i].number;
        v[0] = (expr_value){.kind = EXPR_VALUE_CONST, .number = expr_fold(op, args)};
        c->stack_count = base + 1;
        return 0;
    }
    expr_insn insn = {.op = (unsigned char)op};
    for (size_t i = 0; i < argc; i++) {
        if ((v[i].kind == EXPR_VALUE_CONST || v[i].kind == EXPR_VALUE_YEAR) && expr_materialize(c, &v[i]) != 0)
            return -1;
        if (v[i].kind == EXPR_VALUE_SLOT)
            insn.arg[i] = (expr_arg){.kind = EXPR_ARG_SLOT, .lag = (unsigned char)v[i].lag, .index = v[i].index};
        else
            insn.arg[i] = (expr_arg){.kind = EXPR_ARG_REG, .index = v[i].index};
    }
    insn.dest = expr_free_register(c);
    if (expr_emit(c, insn) != 0)
        return -1;
    v[0] = (expr_value){.kind = EXPR_VALUE_REG, .index = insn.dest};
    c->stack_count = base + 1;
    return 0;
}

/* Makes the program's last instruction write the result to `out`. */
static int expr_finish(expr_compiler *c)
{
    expr_value *top = &c->stack[0];
    switch (top->kind) {
    case EXPR_VALUE_REG:
        /* The value in a register at the end was produced by the last instruction: anything
         * emitted after it would have consumed it. */
        c->code[c->code_count - 1].dest = EXPR_DEST_OUT;
        return 0;
    case EXPR_VALUE_CONST: return expr_emit(c, (expr_insn){.op = EXPR_OP_FILL, .dest = EXPR_DEST_OUT, .value = top->number});
    case EXPR_VALUE_YEAR: return expr_emit(c, (expr_insn){.op = EXPR_OP_FILL_YEAR, .dest = EXPR_DEST_OUT});
    case EXPR_VALUE_SLOT:
        return expr_emit(c, (expr_insn){.op = EXPR_OP_COPY,
                                        .dest = EXPR_DEST_OUT,
                                        .arg = {{.kind = EXPR_ARG_SLOT, .lag = (unsigned char)top->lag, .index = top->index}}});
    }
    return 0;
}

/* ------------------------------------------------------------------------------------------
 * Parser (recursive descent; the grammar is in expr.h)
 * ------------------------------------------------------------------------------------------ */

static int expr_parse_or(expr_compiler *c);
static int expr_parse_unary(expr_compiler *c);

/* Reports an error at the current token: the pending lexical error if the token is one (it is
 * the more precise complaint), otherwise the given message. */
EXPR_PRINTF(2, 3)
static int expr_fail_here(expr_compiler *c, const char *fmt, ...)
{
    if (c->failed)
        return -1;
    if (c->tok.kind == EXPR_TOK_ERROR)
        return expr_fail(c, c->tok.start, "%s", c->lex_message);
    char message[sizeof c->err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return expr_fail(c, c->tok.start, "%s", message);
}

static int expr_unexpected(expr_compiler *c)
{
    if (c->tok.kind == EXPR_TOK_END)
        return expr_fail_here(c, "unexpected end of equation");
    return expr_fail_here(c, "unexpected token '%.*s'", expr_clip(c->source + c->tok.start, c->tok.length, 40),
                          c->source + c->tok.start);
}

/* Entering a parenthesis, call or exponent: bounded so hostile input cannot exhaust the C
 * stack (each level costs about ten frames of recursive descent). */
static int expr_enter(expr_compiler *c, size_t offset)
{
    if (++c->depth > EXPR_MAX_DEPTH)
        return expr_fail(c, offset, "nesting deeper than %d", EXPR_MAX_DEPTH);
    return 0;
}

static int expr_name_is(const expr_compiler *c, const expr_token *tok, const char *word)
{
    size_t n = strlen(word);
    return tok->length == n && memcmp(c->source + tok->start, word, n) == 0;
}

static const expr_function *expr_find_function(const expr_compiler *c, const expr_token *tok)
{
    for (size_t i = 0; i < EXPR_FUNCTION_COUNT; i++)
        if (expr_name_is(c, tok, expr_functions[i].name))
            return &expr_functions[i];
    return NULL;
}

static int expr_find_slot(const expr_compiler *c, const expr_token *tok)
{
    for (size_t i = 0; i < c->name_count; i++)
        if (c->names[i] && expr_name_is(c, tok, c->names[i]))
            return (int)i;
    return -1;
}

/* Fails with "unknown <what> 'x'" plus a "did you mean" hint among `candidates`. */
static int expr_fail_unknown(expr_compiler *c, const expr_token *tok, const char *what, const char *const *candidates,
                             size_t count)
{
    char name[EXPR_MAX_SOURCE + 1];
    memcpy(name, c->source + tok->start, tok->length);
    name[tok->length] = '\0';
    const char *hint = text_suggest(name, candidates, count);
    int shown = expr_clip(name, tok->length, 64);
    if (hint)
        return expr_fail(c, tok->start, "unknown %s '%.*s' (did you mean '%.64s'?)", what, shown, name, hint);
    return expr_fail(c, tok->start, "unknown %s '%.*s'", what, shown, name);
}

static int expr_parse_call(expr_compiler *c, const expr_function *fn, const expr_token *name)
{
    size_t open = c->tok.start;
    if (expr_enter(c, open) != 0)
        return -1;
    expr_next(c);
    int argc = 0;
    if (c->tok.kind == EXPR_TOK_RPAREN) {
        expr_next(c);
    } else {
        for (;;) {
            if (expr_parse_or(c) != 0)
                return -1;
            argc++;
            if (fn->max_args < 0 && argc >= 2 && expr_apply(c, fn->op) != 0)
                return -1;
            if (c->tok.kind == EXPR_TOK_COMMA) {
                expr_next(c);
            } else if (c->tok.kind == EXPR_TOK_RPAREN) {
                expr_next(c);
                break;
            } else {
                return expr_fail_here(c, "expected ',' or ')' to close '%s(' at column %d", fn->name,
                                      expr_column(c->source, open));
            }
        }
    }
    c->depth--;
    if (fn->max_args < 0 && argc < fn->min_args)
        return expr_fail(c, name->start, "'%s' takes at least %d arguments, got %d", fn->name, fn->min_args, argc);
    if (fn->max_args >= 0 && argc != fn->min_args)
        return expr_fail(c, name->start, "'%s' takes %d argument%s, got %d", fn->name, fn->min_args,
                         fn->min_args == 1 ? "" : "s", argc);
    if (fn->max_args >= 0)
        return expr_apply(c, fn->op);
    return 0;
}

/* x[-k]: the current token is '['. */
static int expr_parse_lag(expr_compiler *c, int *lag)
{
    size_t open = c->tok.start;
    expr_next(c);
    int ok = 0;
    if (c->tok.kind == EXPR_TOK_MINUS) {
        expr_next(c);
        if (c->tok.kind == EXPR_TOK_NUMBER && c->tok.is_integer && c->tok.number >= 1 && c->tok.number <= EXPR_MAX_LAG) {
            *lag = (int)c->tok.number;
            expr_next(c);
            ok = 1;
        }
    }
    if (!ok)
        return expr_fail_here(c, "lag must be written x[-k] with k a whole number from 1 to %d", EXPR_MAX_LAG);
    if (c->tok.kind == EXPR_TOK_RBRACKET) {
        expr_next(c);
        return 0;
    }
    if (c->tok.kind == EXPR_TOK_END)
        return expr_fail_here(c, "expected ']' to close '[' at column %d", expr_column(c->source, open));
    return expr_fail_here(c, "lag must be written x[-k] with k a whole number from 1 to %d", EXPR_MAX_LAG);
}

static int expr_parse_name(expr_compiler *c)
{
    expr_token name = c->tok;
    int shown = expr_clip(c->source + name.start, name.length, 64);
    const char *text = c->source + name.start;
    expr_next(c);

    const expr_function *fn = expr_find_function(c, &name);
    if (fn) {
        if (c->tok.kind != EXPR_TOK_LPAREN)
            return expr_fail(c, name.start, "'%s' is a function: write %s(...)", fn->name, fn->name);
        return expr_parse_call(c, fn, &name);
    }

    int is_year = expr_name_is(c, &name, "year");
    if (is_year || expr_name_is(c, &name, "pi") || expr_name_is(c, &name, "e")) {
        if (c->tok.kind == EXPR_TOK_LPAREN)
            return expr_fail(c, name.start, "'%.*s' is not a function", shown, text);
        if (c->tok.kind == EXPR_TOK_LBRACKET)
            return expr_fail(c, c->tok.start, "'%.*s' cannot be lagged", shown, text);
        if (is_year)
            return expr_push(c, (expr_value){.kind = EXPR_VALUE_YEAR});
        return expr_push_const(c, expr_name_is(c, &name, "pi") ? expr_pi : expr_e);
    }

    int slot = expr_find_slot(c, &name);
    if (c->tok.kind == EXPR_TOK_LPAREN) {
        if (slot >= 0)
            return expr_fail(c, name.start, "'%.*s' is a variable, not a function", shown, text);
        return expr_fail_unknown(c, &name, "function", expr_function_names, EXPR_FUNCTION_COUNT);
    }
    if (slot < 0)
        return expr_fail_unknown(c, &name, "name", c->names, c->name_count);
    int lag = 0;
    if (c->tok.kind == EXPR_TOK_LBRACKET && expr_parse_lag(c, &lag) != 0)
        return -1;
    return expr_push_slot(c, slot, lag);
}

static int expr_parse_primary(expr_compiler *c)
{
    switch (c->tok.kind) {
    case EXPR_TOK_NUMBER: {
        double value = c->tok.number;
        expr_next(c);
        if (c->tok.kind == EXPR_TOK_PERCENT) {
            value /= 100; /* a division, so 8% is exactly the double nearest 0.08 */
            expr_next(c);
        }
        return expr_push_const(c, value);
    }
    case EXPR_TOK_LPAREN: {
        size_t open = c->tok.start;
        if (expr_enter(c, open) != 0)
            return -1;
        expr_next(c);
        if (expr_parse_or(c) != 0)
            return -1;
        if (c->tok.kind != EXPR_TOK_RPAREN)
            return expr_fail_here(c, "expected ')' to close '(' at column %d", expr_column(c->source, open));
        expr_next(c);
        c->depth--;
        return 0;
    }
    case EXPR_TOK_NAME: return expr_parse_name(c);
    default: return expr_unexpected(c);
    }
}

static int expr_parse_power(expr_compiler *c)
{
    if (expr_parse_primary(c) != 0)
        return -1;
    if (c->tok.kind != EXPR_TOK_CARET)
        return 0;
    if (expr_enter(c, c->tok.start) != 0)
        return -1;
    expr_next(c);
    /* The exponent is a unary, so 2^-1 works and 2^3^2 groups as 2^(3^2). */
    if (expr_parse_unary(c) != 0)
        return -1;
    c->depth--;
    return expr_apply(c, EXPR_OP_POW);
}

/* Prefix signs are gathered in a loop rather than by recursion, so a long run of them cannot
 * deepen the C stack; -(-x) is exactly x in IEEE arithmetic, so only the parity matters. */
static int expr_parse_unary(expr_compiler *c)
{
    int negate = 0;
    while (c->tok.kind == EXPR_TOK_MINUS || c->tok.kind == EXPR_TOK_PLUS) {
        if (c->tok.kind == EXPR_TOK_MINUS)
            negate = !negate;
        expr_next(c);
    }
    if (expr_parse_power(c) != 0)
        return -1;
    return negate ? expr_apply(c, EXPR_OP_NEG) : 0;
}

static int expr_parse_product(expr_compiler *c)
{
    if (expr_parse_unary(c) != 0)
        return -1;
    while (c->tok.kind == EXPR_TOK_STAR || c->tok.kind == EXPR_TOK_SLASH) {
        enum expr_op op = c->tok.kind == EXPR_TOK_STAR ? EXPR_OP_MUL : EXPR_OP_DIV;
        expr_next(c);
        if (expr_parse_unary(c) != 0 || expr_apply(c, op) != 0)
            return -1;
    }
    return 0;
}

static int expr_parse_sum(expr_compiler *c)
{
    if (expr_parse_product(c) != 0)
        return -1;
    while (c->tok.kind == EXPR_TOK_PLUS || c->tok.kind == EXPR_TOK_MINUS) {
        enum expr_op op = c->tok.kind == EXPR_TOK_PLUS ? EXPR_OP_ADD : EXPR_OP_SUB;
        expr_next(c);
        if (expr_parse_product(c) != 0 || expr_apply(c, op) != 0)
            return -1;
    }
    return 0;
}

static int expr_comparison_op(enum expr_token_kind kind)
{
    switch (kind) {
    case EXPR_TOK_LT: return EXPR_OP_LT;
    case EXPR_TOK_LE: return EXPR_OP_LE;
    case EXPR_TOK_GT: return EXPR_OP_GT;
    case EXPR_TOK_GE: return EXPR_OP_GE;
    case EXPR_TOK_EQ: return EXPR_OP_EQ;
    case EXPR_TOK_NE: return EXPR_OP_NE;
    default: return -1;
    }
}

static int expr_parse_comparison(expr_compiler *c)
{
    if (expr_parse_sum(c) != 0)
        return -1;
    int op = expr_comparison_op(c->tok.kind);
    if (op < 0)
        return 0;
    expr_next(c);
    if (expr_parse_sum(c) != 0 || expr_apply(c, (enum expr_op)op) != 0)
        return -1;
    /* a < b < c would mean (a < b) < c, which is never what was meant. */
    if (expr_comparison_op(c->tok.kind) >= 0)
        return expr_fail_here(c, "comparisons cannot be chained (join them with 'and')");
    return 0;
}

static int expr_parse_not(expr_compiler *c)
{
    int count = 0;
    while (c->tok.kind == EXPR_TOK_NOT) {
        count++;
        expr_next(c);
    }
    if (expr_parse_comparison(c) != 0)
        return -1;
    /* not not x is x as a truth value (1 or 0), not x itself; more nots just alternate. */
    int apply = count == 0 ? 0 : count % 2 == 1 ? 1 : 2;
    for (int i = 0; i < apply; i++)
        if (expr_apply(c, EXPR_OP_NOT) != 0)
            return -1;
    return 0;
}

static int expr_parse_and(expr_compiler *c)
{
    if (expr_parse_not(c) != 0)
        return -1;
    while (c->tok.kind == EXPR_TOK_AND) {
        expr_next(c);
        if (expr_parse_not(c) != 0 || expr_apply(c, EXPR_OP_AND) != 0)
            return -1;
    }
    return 0;
}

static int expr_parse_or(expr_compiler *c)
{
    if (expr_parse_and(c) != 0)
        return -1;
    while (c->tok.kind == EXPR_TOK_OR) {
        expr_next(c);
        if (expr_parse_and(c) != 0 || expr_apply(c, EXPR_OP_OR) != 0)
            return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------------------------------
 * Public compile API
 * ------------------------------------------------------------------------------------------ */

static int expr_compile_source(expr_compiler *c)
{
    if (c->length > EXPR_MAX_SOURCE)
        return expr_fail(c, EXPR_MAX_SOURCE, "equation is longer than %d bytes", EXPR_MAX_SOURCE);
    size_t bad;
    if (!text_utf8_valid(c->source, c->length, &bad))
        return expr_fail(c, bad, "invalid UTF-8 byte 0x%02X", (unsigned)(unsigned char)c->source[bad]);
    expr_next(c);
    if (c->tok.kind == EXPR_TOK_END)
        return expr_fail(c, 0, "empty equation");
    if (expr_parse_or(c) != 0)
        return -1;
    if (c->tok.kind != EXPR_TOK_END)
        return expr_unexpected(c);
    return expr_finish(c);
}

expr_program *expr_compile(const char *source, const char *const *names, size_t name_count, expr_error *err)
{
    expr_error dummy;
    if (!err)
        err = &dummy;
    err->column = 0;
    err->message[0] = '\0';
    if (!source)
        source = "";
    expr_compiler c = {
        .source = source,
        .length = strlen(source),
        .names = names,
        .name_count = names ? name_count : 0,
        .err = err,
    };
    expr_program *program = NULL;
    if (expr_compile_source(&c) == 0) {
        program = mem_alloc(sizeof *program);
        if (!program) {
            expr_fail_oom(&c);
        } else {
            size_t registers = 0;
            for (size_t i = 0; i < c.code_count; i++)
                if (c.code[i].dest != EXPR_DEST_OUT && (size_t)c.code[i].dest + 1 > registers)
                    registers = (size_t)c.code[i].dest + 1;
            *program = (expr_program){
                .code = c.code,
                .code_count = c.code_count,
                .refs = c.refs,
                .ref_count = c.ref_count,
                .registers = registers,
            };
            c.code = NULL;
            c.refs = NULL;
        }
    }
    mem_free(c.stack);
    mem_free(c.code);
    mem_free(c.refs);
    return program;
}

void expr_program_free(expr_program *program)
{
    if (!program)
        return;
    mem_free(program->code);
    mem_free(program->refs);
    mem_free(program);
}

const expr_ref *expr_program_refs(const expr_program *program, size_t *count)
{
    *count = program->ref_count;
    return program->refs;
}

size_t expr_program_scratch(const expr_program *program)
{
    return program->registers;
}

/* ------------------------------------------------------------------------------------------
 * Evaluator
 * ------------------------------------------------------------------------------------------ */

static const double *expr_operand(const expr_frame *frame, const double *scratch, const expr_arg *arg)
{
    if (arg->kind == EXPR_ARG_REG)
        return scratch + (size_t)arg->index * frame->lanes;
    return frame->data + (size_t)arg->index * frame->slot_stride + (frame->year_index - arg->lag) * frame->year_stride;
}

/* One loop over the lanes per case; each body is the scalar semantics above, inlined. The
 * lanes go in chunks of a fixed width plus a tail, because a loop of constant trip count is
 * vectorized even under gcc's -O2 "very cheap" cost model, which refuses loops of unknown
 * length. */
#define EXPR_CHUNK 8
#define EXPR_LANES(body)                                                                                               \
    do {                                                                                                               \
        size_t l = 0;                                                                                                  \
        for (; l + EXPR_CHUNK <= lanes; l += EXPR_CHUNK)                                                               \
            for (size_t k = 0; k < EXPR_CHUNK; k++) {                                                                  \
                size_t j = l + k;                                                                                      \
                d[j] = (body);                                                                                         \
            }                                                                                                          \
        for (; l < lanes; l++) {                                                                                       \
            size_t j = l;                                                                                              \
            d[j] = (body);                                                                                             \
        }                                                                                                              \
    } while (0);                                                                                                       \
    break

/* restrict holds: the compiler never gives an instruction a destination that is also one of
 * its operands, and operands are only read (two may be the same vector, as in x * x). */
static inline void expr_run(int op, size_t lanes, double *restrict d, const double *restrict a,
                            const double *restrict b, const double *restrict c, double value)
{
    switch (op) {
    case EXPR_OP_FILL: EXPR_LANES(value);
    case EXPR_OP_FILL_YEAR: EXPR_LANES(value);
    case EXPR_OP_COPY: memcpy(d, a, lanes * sizeof *d); break;
    case EXPR_OP_NEG: EXPR_LANES(-a[j]);
    case EXPR_OP_ADD: EXPR_LANES(a[j] + b[j]);
    case EXPR_OP_SUB: EXPR_LANES(a[j] - b[j]);
    case EXPR_OP_MUL: EXPR_LANES(a[j] * b[j]);
    case EXPR_OP_DIV: EXPR_LANES(a[j] / b[j]);
    case EXPR_OP_POW: EXPR_LANES(pow(a[j], b[j]));
    case EXPR_OP_LT: EXPR_LANES(expr_bool(a[j] < b[j]));
    case EXPR_OP_LE: EXPR_LANES(expr_bool(a[j] <= b[j]));
    case EXPR_OP_GT: EXPR_LANES(expr_bool(a[j] > b[j]));
    case EXPR_OP_GE: EXPR_LANES(expr_bool(a[j] >= b[j]));
    case EXPR_OP_EQ: EXPR_LANES(expr_bool(a[j] == b[j]));
    case EXPR_OP_NE: EXPR_LANES(expr_bool(a[j] != b[j]));
    case EXPR_OP_AND: EXPR_LANES(expr_bool((a[j] != 0.0) & (b[j] != 0.0)));
    case EXPR_OP_OR: EXPR_LANES(expr_bool((a[j] != 0.0) | (b[j] != 0.0)));
    case EXPR_OP_NOT: EXPR_LANES(expr_bool(a[j] == 0.0));
    case EXPR_OP_ABS: EXPR_LANES(fabs(a[j]));
    case EXPR_OP_EXP: EXPR_LANES(exp(a[j]));
    case EXPR_OP_LOG: EXPR_LANES(log(a[j]));
    case EXPR_OP_SQRT: EXPR_LANES(sqrt(a[j]));
    case EXPR_OP_SIN: EXPR_LANES(sin(a[j]));
    case EXPR_OP_COS: EXPR_LANES(cos(a[j]));
    case EXPR_OP_TAN: EXPR_LANES(tan(a[j]));
    case EXPR_OP_FLOOR: EXPR_LANES(floor(a[j]));
    case EXPR_OP_CEIL: EXPR_LANES(ceil(a[j]));
    case EXPR_OP_ROUND: EXPR_LANES(round(a[j]));
    case EXPR_OP_MIN: EXPR_LANES(expr_min2(a[j], b[j]));
    case EXPR_OP_MAX: EXPR_LANES(expr_max2(a[j], b[j]));
    case EXPR_OP_CLAMP: EXPR_LANES(expr_clamp(a[j], b[j], c[j]));
    case EXPR_OP_SELECT: EXPR_LANES(expr_select(a[j], b[j], c[j]));
    default: break;
    }
}

void expr_program_eval(const expr_program *program, const expr_frame *frame, double *out, double *scratch)
{
    const size_t lanes = frame->lanes;
    for (size_t i = 0; i < program->code_count; i++) {
        const expr_insn *insn = &program->code[i];
        double *d = insn->dest == EXPR_DEST_OUT ? out : scratch + (size_t)insn->dest * lanes;
        /* Operands an instruction does not have alias a real one (or the destination, for
         * fills, which read nothing): never null, never dereferenced. */
        int arity = expr_op_info[insn->op].arity;
        const double *a = arity > 0 ? expr_operand(frame, scratch, &insn->arg[0]) : d;
        const double *b = arity > 1 ? expr_operand(frame, scratch, &insn->arg[1]) : a;
        const double *c = arity > 2 ? expr_operand(frame, scratch, &insn->arg[2]) : a;
        double value = insn->op == EXPR_OP_FILL_YEAR ? (double)frame->year : insn->value;
        expr_run(insn->op, lanes, d, a, b, c, value);
    }
}

/* Scratch kept on the C stack by expr_program_eval_constant; deeper programs (rare: the
 * stack grows with nesting, and nesting is bounded by EXPR_MAX_DEPTH) fall back to the heap. */
#define EXPR_CONSTANT_SCRATCH 128

double expr_program_eval_constant(const expr_program *program, int year)
{
    if (program->ref_count > 0)
        return NAN; /* not a constant program: there is no data to read */
    double local[EXPR_CONSTANT_SCRATCH];
    double *scratch = local;
    if (program->registers > EXPR_CONSTANT_SCRATCH) {
        scratch = mem_calloc(program->registers, sizeof *scratch);
        if (!scratch)
            return NAN;
    }
    expr_frame frame = {.data = NULL, .lanes = 1, .year = year};
    double result = NAN;
    expr_program_eval(program, &frame, &result, scratch);
    if (scratch != local)
        mem_free(scratch);
    return result;
}

/* ------------------------------------------------------------------------------------------
 * Dump
 * ------------------------------------------------------------------------------------------ */

static void expr_dump_arg(FILE *out, const expr_arg *arg, const char *const *names)
{
    if (arg->kind == EXPR_ARG_REG) {
        fprintf(out, "r%d", arg->index);
        return;
    }
    if (names)
        fputs(names[arg->index], out);
    else
        fprintf(out, "slot%d", arg->index);
    if (arg->lag > 0)
        fprintf(out, "[-%d]", arg->lag);
}

void expr_program_dump(const expr_program *program, const char *const *names, void *stream)
{
    FILE *out = stream;
    fprintf(out, "; %zu instruction%s, %zu scratch vector%s, %zu ref%s\n", program->code_count,
            program->code_count == 1 ? "" : "s", program->registers, program->registers == 1 ? "" : "s",
            program->ref_count, program->ref_count == 1 ? "" : "s");
    for (size_t i = 0; i < program->code_count; i++) {
        const expr_insn *insn = &program->code[i];
        fprintf(out, "%4zu  %-6s ", i, expr_op_info[insn->op].name);
        if (insn->dest == EXPR_DEST_OUT)
            fputs("out", out);
        else
            fprintf(out, "r%d", insn->dest);
        if (insn->op == EXPR_OP_FILL)
            fprintf(out, " = %.17g", insn->value);
        int arity = expr_op_info[insn->op].arity;
        for (int k = 0; k < arity; k++) {
            fputs(k == 0 ? " = " : ", ", out);
            expr_dump_arg(out, &insn->arg[k], names);
        }
        fputc('\n', out);
    }
}
