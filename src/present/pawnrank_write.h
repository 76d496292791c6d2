/* pawnrank_write.h: the PAWN ranking of a risk run (pawnrank.h) for people and files: a
 * table on the terminal, pawn.csv, and the "pawn" part of summary.json (summary.h:
 * summary_pawnrank). PAWN values are Kolmogorov-Smirnov distances, fractions from 0 (the
 * goal's value does not depend on the shock) to 1. */
#ifndef PAWNRANK_WRITE_H
#define PAWNRANK_WRITE_H

#include <stdio.h>

#include "diag.h"
#include "goals.h"
#include "output.h"
#include "pawnrank.h"

/* Prints, per goal, the shocks ranked with their PAWN value and noise threshold; a shock
 * below its threshold is marked "(noise)". */
void pawnrank_print(FILE *out, const pawnrank_result *res, const goals_set *goals);

/* Writes pawn.csv: goal,year,rank,input,summary,pawn,min,mean,median,max,threshold,
 * above_noise,slices,paths, one row per goal and shock in rank order. Returns a DIAG_ status. */
int pawnrank_write(output_batch *batch, const pawnrank_result *res, const goals_set *goals, diag *d);

#endif
