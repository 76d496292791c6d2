/* expr_parse.c: the compiler of the equation language (expr.h): a recursive-descent parser
 * that emits code as it goes (expr_internal.h). When an operator is applied to constants only,
 * it is folded on the spot; otherwise one instruction is emitted whose operands are named
 * explicitly, into a register distinct from its operands. Slot loads need no instruction at
 * all: an operand can point straight into the caller's data. */
#include "expr_internal.h"

#include "i18n.h"
#include "mem.h"
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Not M_PI / M_E: those are XSI extensions, absent under strict C11 + POSIX. */
static const double expr_pi = 3.14159265358979323846264338327950288;
static const double expr_e = 2.71828182845904523536028747135266250;

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

/* Constant folding: the scalar semantics of expr_internal.h, as the lane loops apply them. */
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
        return expr_fail_here(c, _("unexpected end of equation"));
    return expr_fail_here(c, _("unexpected token '%.*s'"), expr_clip(c->source + c->tok.start, c->tok.length, 40),
                          c->source + c->tok.start);
}

/* Entering a parenthesis, call or exponent: bounded so hostile input cannot exhaust the C
 * stack (each level costs about ten frames of recursive descent). */
static int expr_enter(expr_compiler *c, size_t offset)
{
    if (++c->depth > EXPR_MAX_DEPTH)
        return expr_fail(c, offset, _("nesting deeper than %d"), EXPR_MAX_DEPTH);
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

/* Fails with "unknown function 'x'" (is_function) or "unknown name 'x'", with a "did you
 * mean" hint among `candidates`. */
static int expr_fail_unknown(expr_compiler *c, const expr_token *tok, int is_function, const char *const *candidates,
                             size_t count)
{
    char name[EXPR_MAX_SOURCE + 1];
    memcpy(name, c->source + tok->start, tok->length);
    name[tok->length] = '\0';
    const char *hint = text_suggest(name, candidates, count);
    int shown = expr_clip(name, tok->length, 64);
    if (hint && is_function)
        return expr_fail(c, tok->start, _("unknown function '%.*s' (did you mean '%.64s'?)"), shown, name, hint);
    if (hint)
        return expr_fail(c, tok->start, _("unknown name '%.*s' (did you mean '%.64s'?)"), shown, name, hint);
    if (is_function)
        return expr_fail(c, tok->start, _("unknown function '%.*s'"), shown, name);
    return expr_fail(c, tok->start, _("unknown name '%.*s'"), shown, name);
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
                return expr_fail_here(c, _("expected ',' or ')' to close '%s(' at column %d"), fn->name,
                                      expr_column(c->source, open));
            }
        }
    }
    c->depth--;
    if (fn->max_args < 0 && argc < fn->min_args)
        return expr_fail(c, name->start, _("'%s' takes at least %d arguments, got %d"), fn->name, fn->min_args, argc);
    if (fn->max_args >= 0 && argc != fn->min_args)
        return fn->min_args == 1
                   ? expr_fail(c, name->start, _("'%s' takes 1 argument, got %d"), fn->name, argc)
                   : expr_fail(c, name->start, _("'%s' takes %d arguments, got %d"), fn->name, fn->min_args, argc);
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
        return expr_fail_here(c, _("lag must be written x[-k] with k a whole number from 1 to %d"), EXPR_MAX_LAG);
    if (c->tok.kind == EXPR_TOK_RBRACKET) {
        expr_next(c);
        return 0;
    }
    if (c->tok.kind == EXPR_TOK_END)
        return expr_fail_here(c, _("expected ']' to close '[' at column %d"), expr_column(c->source, open));
    return expr_fail_here(c, _("lag must be written x[-k] with k a whole number from 1 to %d"), EXPR_MAX_LAG);
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
            return expr_fail(c, name.start, _("'%s' is a function: write %s(...)"), fn->name, fn->name);
        return expr_parse_call(c, fn, &name);
    }

    int is_year = expr_name_is(c, &name, "year");
    if (is_year || expr_name_is(c, &name, "pi") || expr_name_is(c, &name, "e")) {
        if (c->tok.kind == EXPR_TOK_LPAREN)
            return expr_fail(c, name.start, _("'%.*s' is not a function"), shown, text);
        if (c->tok.kind == EXPR_TOK_LBRACKET)
            return expr_fail(c, c->tok.start, _("'%.*s' cannot be lagged"), shown, text);
        if (is_year)
            return expr_push(c, (expr_value){.kind = EXPR_VALUE_YEAR});
        return expr_push_const(c, expr_name_is(c, &name, "pi") ? expr_pi : expr_e);
    }

    int slot = expr_find_slot(c, &name);
    if (c->tok.kind == EXPR_TOK_LPAREN) {
        if (slot >= 0)
            return expr_fail(c, name.start, _("'%.*s' is a variable, not a function"), shown, text);
        return expr_fail_unknown(c, &name, 1, expr_function_names, EXPR_FUNCTION_COUNT);
    }
    if (slot < 0)
        return expr_fail_unknown(c, &name, 0, c->names, c->name_count);
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
            return expr_fail_here(c, _("expected ')' to close '(' at column %d"), expr_column(c->source, open));
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
        return expr_fail_here(c, _("comparisons cannot be chained (join them with 'and')"));
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
        return expr_fail(c, EXPR_MAX_SOURCE, _("equation is longer than %d bytes"), EXPR_MAX_SOURCE);
    size_t bad;
    if (!text_utf8_valid(c->source, c->length, &bad))
        return expr_fail(c, bad, _("invalid UTF-8 byte 0x%02X"), (unsigned)(unsigned char)c->source[bad]);
    expr_next(c);
    if (c->tok.kind == EXPR_TOK_END)
        return expr_fail(c, 0, _("empty equation"));
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
