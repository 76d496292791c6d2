/* expr_eval.c: the evaluator of compiled equations (expr.h). Evaluation is one tight loop over
 * the lanes per instruction, with contiguous doubles, which the compiler can vectorize; it
 * allocates nothing, writes no globals and only reads the program, so threads can share one
 * program. Also the listing of a program for tests and debugging. */
#include "expr_internal.h"

#include "mem.h"

#include <stdio.h>
#include <string.h>

const expr_op_desc expr_op_info[EXPR_OP_COUNT] = {
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
