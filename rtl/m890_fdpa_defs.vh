// SPDX-License-Identifier: Apache-2.0
// m890_fdpa_defs.vh -- shared definitions of the FDPA pipeline (m890_fdpa_mul / m890_fdpa_add / m890_mac).
//
// The "product bundle" (pb) is what m890_fdpa_mul hands to the final add m890_fdpa_add: the exact scaled
// product sum S of one lane step in compact form (docs/mac.md, "The compact datapath"), plus the
// classification bits of the special-value rules.
//
//   S = (-1)^A_NEG * A_SIG * 2^(A_EXP - 89)              every class but BF16-far (Q = 0)
//     + (-1)^Q_SIGN * Q_SIG * 2^(Q_EXP - 23)             BF16-far only (FAR = 1): |Q| < |A| * 2^-42
// A_SIG is normalized (bit 89 set) unless A_ZERO. The final add works in a window whose index j weighs
// 2^(A_EXP - `M890_IA + j): A's MSB at index IA = 124; Q_WIN holds Q's bits at indices 1..81 and Q_STK
// says Q has bits at index <= 0. P_ENC is |A| as an FP32 encoding when P_REPR (FAR and A is exactly an
// FP32 value), so the final add recognizes c = -A with an equality compare.
`ifndef M890_FDPA_DEFS_VH
`define M890_FDPA_DEFS_VH
// The pipeline depth is not a define: m890_fdpa_mul / m890_mac / m890_tile take NUM_PIPE_REGS.
`define M890_A_W   90     // normalized significand of A
`define M890_IA    124    // window index of A's MSB in the final add
// Product-bundle fields (bit positions).
`define M890_PB_A_SIG   0      // [89:0]
`define M890_PB_A_EXP   90     // [101:90]  signed, exponent of A_SIG bit 89
`define M890_PB_A_NEG   102
`define M890_PB_A_ZERO  103
`define M890_PB_HUGE    104    // |S| >= 2^130: overflows whatever c is (|c| < 2^128)
`define M890_PB_FAR     105    // BF16 with the products' LSBs > 65 apart: Q is present
`define M890_PB_Q_SIGN  106
`define M890_PB_Q_SIG   107    // [130:107] normalized (bit 23 set)
`define M890_PB_Q_EXP   131    // [142:131] signed, exponent of Q_SIG bit 23
`define M890_PB_Q_WIN   143    // [223:143] Q at window indices 1..81
`define M890_PB_Q_STK   224    // Q has bits at window index <= 0
`define M890_PB_P_ENC   225    // [255:225]
`define M890_PB_P_REPR  256
`define M890_PB_NAN     257    // a NaN element in a or b, or a NaN scale
`define M890_PB_NV      258    // NV known without c: sNaN in a/b, Inf x 0, zero scale x infinite product
`define M890_PB_PINF    259    // some scaled product is +Inf
`define M890_PB_NINF    260    // some scaled product is -Inf
`define M890_PB_ALLZP   261    // every scaled product is +0
`define M890_PB_ALLZN   262    // every scaled product is -0
// Width of the product bundle (legality is not in it: the caller applies m890_fdpa_legal()).
`define M890_PB_W 263
`endif
