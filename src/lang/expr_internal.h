/* expr_internal.h: private to the equation language (expr_lex.c, expr_parse.c, expr_eval.c):
 * the instruction set and program layout that the compiler writes and the evaluator reads,
 * the scalar semantics both share (so constant folding and the lane loops agree bit for bit),
 * and the compiler state that the lexer and the parser share. Not part of the API: expr.h is.
 *
 * The compiler (lexer + recursive-descent parser) emits code directly, without an AST: the
 * parser drives a compile-time stack of operand descriptors (constant, `year`, slot load, or
 * a value already computed into a register) that mirrors the run-time operand stack. Registers
 * are stack positions: the value at stack depth p lives in scratch vector p. */
#ifndef EXPR_INTERNAL_H
#define EXPR_INTERNAL_H

#include <math.h>
#include <stddef.h>

#include "expr.h"

#if defined(__GNUC__)
#define EXPR_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define EXPR_PRINTF(fmt, args)
#endif

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

/* The fixed properties of an opcode (expr_op_info, indexed by enum expr_op; in expr_eval.c). */
typedef struct expr_op_desc {
    const char *name; /* for dumps */
    int arity;        /* operands read from the stack */
} expr_op_desc;

extern const expr_op_desc expr_op_info[EXPR_OP_COUNT];

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

/* ------------------------------------------------------------------------------------------
 * Compiler state (lexer and parser)
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
int expr_column(const char *source, size_t offset);

/* Byte length of at most `max` bytes of s[0..len) without splitting a UTF-8 sequence, so
 * quoted text in messages stays valid UTF-8. */
int expr_clip(const char *s, size_t len, size_t max);

/* Records the compile error at byte `offset` (the first one only; later calls are ignored).
 * Returns -1. */
EXPR_PRINTF(3, 4)
int expr_fail(expr_compiler *c, size_t offset, const char *fmt, ...);

/* Records "out of memory" (column 0). Returns -1. */
int expr_fail_oom(expr_compiler *c);

/* Advances c->tok to the next token. Errors become EXPR_TOK_ERROR tokens rather than being
 * reported at once: the parser may still find an error further left (the token before, whose
 * meaning depends on this lookahead), and the leftmost error is the one to report. */
void expr_next(expr_compiler *c);

#endif
