// SPDX-License-Identifier: Apache-2.0
// m890_fdpa_defs.vh -- shared definitions of the FDPA pipeline (m890_fdpa_mul / m890_fdpa_add / m890_mac).
//
// The "product bundle" (pb) is what m890_fdpa_mul hands to the combinational final stage
// m890_fdpa_add: the exact scaled product sum S of one lane step, already aligned into the
// fixed window the final add works in, plus the classification bits of the special-value rules.
//
// Window: bit j of the window vector has weight 2^(j-161), j = 1..290 covers 2^-160 .. 2^129;
// bit 0 is a sticky bit, set when S has any bit below 2^-160. |S| >= 2^130 sets HUGE instead
// (such an S overflows whatever c is, because |c| < 2^128).
`ifndef M890_FDPA_DEFS_VH
`define M890_FDPA_DEFS_VH

// The pipeline depth is not a define: m890_fdpa_mul / m890_mac / m890_tile take NUM_PIPE_REGS.

// Width of the window magnitude vector (sticky bit included).
`define M890_WIN_W 291

// Product-bundle fields (bit positions).
`define M890_PB_WIN_LSB    0      // [290:0]  |S| in the window, bit 0 = sticky
`define M890_PB_HUGE       291    // |S| >= 2^130
`define M890_PB_SSIGN      292    // sign of S (meaningful when S != 0)
`define M890_PB_NAN        293    // a NaN element in a or b, or a NaN scale
`define M890_PB_NV         294    // NV known without c: sNaN in a/b, Inf x 0, zero scale x infinite product
`define M890_PB_PINF       295    // some scaled product is +Inf
`define M890_PB_NINF       296    // some scaled product is -Inf
`define M890_PB_ALLZP      297    // every scaled product is +0
`define M890_PB_ALLZN      298    // every scaled product is -0

// Width of the product bundle (legality is not in it: the caller applies m890_fdpa_legal()).
`define M890_PB_W 299

`endif
