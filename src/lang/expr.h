/* expr.h: the equation language: lexer, parser, compiler to a compact program, evaluator.
 *
 * Grammar (DESIGN §5), lowest precedence first:
 *   expr    := or
 *   or      := and ("or" and)*
 *   and     := not ("and" not)*
 *   not     := "not" not | cmp
 *   cmp     := sum (("<"|"<="|">"|">="|"=="|"!=") sum)?      (non-associative)
 *   sum     := product (("+"|"-") product)*
 *   product := unary (("*"|"/") unary)*
 *   unary   := "-" unary | "+" unary | power
 *   power   := primary ("^" unary)?                            (right-associative; -2^2 = -4)
 *   primary := number ["%"] | name ["[" "-" integer "]"] | "year" | "pi" | "e"
 *            | name "(" args ")" | "(" expr ")"
 * Functions: min max (2 or more args), abs exp log sqrt sin cos tan floor ceil round (1),
 * pow (2), clamp (3), if (3). Truth: nonzero is true; comparisons and logic yield 1 or 0.
 * `if(c, a, b)` selects; both branches are evaluated (lanes are computed together), so a
 * branch's NaN never leaks into the result unless selected.
 * A number followed by % is divided by 100 (8% = 0.08).
 * min, max and clamp propagate NaN (unlike fmin/fmax); clamp(x, lo, hi) = min(max(x, lo), hi).
 * A name is letters, digits and '_', not starting with a digit; letters include non-ASCII ones
 * (CJK, kana, hangul, Latin, Greek, Cyrillic). Other non-ASCII characters (fullwidth '（',
 * '＋', the ideographic space) are errors at their column.
 *
 * Names resolve against a symbol table given at compile time (the model's slots); the
 * compiled program refers to slots by index, so evaluation never touches strings. */
#ifndef EXPR_H
#define EXPR_H

#include <stddef.h>

/* Longest equation accepted, in bytes, and deepest nesting of parentheses and calls. */
#define EXPR_MAX_SOURCE 4096
#define EXPR_MAX_DEPTH 64
/* Largest lag k in x[-k]. */
#define EXPR_MAX_LAG 50

typedef struct expr_program expr_program;

/* A compile error: 1-based column (in characters) of the offending token and a message that
 * names it; for an unknown name, the message ends with a "did you mean" hint when one is close. */
typedef struct expr_error {
    int column;
    char message[256];
} expr_error;

/* One reference of a program to a slot: x (lag 0) or x[-k] (lag k > 0). */
typedef struct expr_ref {
    int slot;
    int lag;
} expr_ref;

/* Where a program reads its inputs. Values are laid out as values[slot][year][lane]:
 * the value of slot s, year index t, lane l is data[s * slot_stride + t * year_stride + l].
 * `lanes` paths are evaluated together (1 for a single deterministic path). `year_index` is
 * the index of the year being computed; a reference with lag k reads index year_index - k
 * (the caller guarantees it is in range: see expr_program_refs). `year` is the calendar year. */
typedef struct expr_frame {
    const double *data;
    size_t slot_stride;
    size_t year_stride;
    size_t year_index;
    size_t lanes;
    int year;
} expr_frame;

/* Compiles `source` against the symbol table names[0..name_count) (slot i is names[i]).
 * Returns the program, or NULL with *err filled (err->column 0 for out of memory).
 * The reserved names year, pi, e, and, or, not, if and the function names cannot be slots. */
expr_program *expr_compile(const char *source, const char *const *names, size_t name_count, expr_error *err);

/* Frees a program; NULL is a no-op. */
void expr_program_free(expr_program *program);

/* The distinct (slot, lag) pairs the program reads, in first-use order; *count gets how many.
 * The array belongs to the program. */
const expr_ref *expr_program_refs(const expr_program *program, size_t *count);

/* Number of doubles of scratch space expr_program_eval needs per lane (the number of lane
 * vectors the program keeps live at once; 0 for programs such as `a + b`). */
size_t expr_program_scratch(const expr_program *program);

/* Evaluates the program for frame->lanes lanes at frame->year_index, writing one result per
 * lane to out[0..lanes). scratch must hold expr_program_scratch(program) * lanes doubles.
 * Arithmetic follows IEEE 754 (division by zero gives inf, log(-1) NaN); the caller checks
 * results with isfinite where it matters. Thread-safe: programs are read-only here, and
 * nothing is allocated. scratch may be NULL when expr_program_scratch is 0; out must not
 * overlap data or scratch. */
void expr_program_eval(const expr_program *program, const expr_frame *frame, double *out, double *scratch);

/* Convenience for tests and single values: evaluates a program with no slot references
 * (constants, year, functions) at calendar year `year`. Returns NaN for a program that reads
 * slots. */
double expr_program_eval_constant(const expr_program *program, int year);

/* Writes a readable listing of the compiled program (one instruction per line) to stream;
 * for debugging and tests. */
void expr_program_dump(const expr_program *program, const char *const *names, void *stream);

#endif
