// SPDX-License-Identifier: Apache-2.0
// m890_formats.vh -- named encodings of ARCHITECTURE.md sections 1-2 and the ONE legality check.
//
// Element formats (fmt_a / fmt_b, 4 bits), block-scale formats (scale_fmt, 2 bits) and rounding modes
// (rm, 3 bits, RISC-V encoding) as defines, so no module spells a bare code. m890_fdpa_legal() is the
// only place that decides whether an operation (format pair, rm, scale_fmt) is legal; m890_mac and
// m890_tile both call it (an illegal operation delivers the canonical NaN with NV).
//
// Include inside a module body (the function is declared in the including module's scope).
`ifndef M890_FORMATS_VH
`define M890_FORMATS_VH

// element formats
`define M890_FMT_FP32   4'd0
`define M890_FMT_FP16   4'd1
`define M890_FMT_BF16   4'd2
`define M890_FMT_E4M3   4'd3
`define M890_FMT_E5M2   4'd4
`define M890_FMT_E3M2   4'd5
`define M890_FMT_E2M3   4'd6
`define M890_FMT_E2M1   4'd7
`define M890_FMT_LAST   4'd7   // codes above are reserved

// block-scale formats
`define M890_SF_NONE    2'd0
`define M890_SF_E8M0    2'd1
`define M890_SF_UE4M3   2'd2
`define M890_SF_RSVD    2'd3

// rounding modes
`define M890_RM_RNE     3'd0
`define M890_RM_RTZ     3'd1
`define M890_RM_RDN     3'd2
`define M890_RM_RUP     3'd3
`define M890_RM_RMM     3'd4
`define M890_RM_LAST    3'd4   // codes above are illegal

// IEEE flags (RISC-V fflags order) and the canonical NaN
`define M890_FLAG_NV    5'b10000
`define M890_FLAG_OF    5'b00100
`define M890_FLAG_UF    5'b00010
`define M890_FLAG_NX    5'b00001
`define M890_QNAN       32'h7FC00000

`endif

`ifndef M890_FORMATS_FUNCS_OFF
// 8-bit container formats: the only ones that may be mixed in a pair
function m890_fmt_is8;
  input [3:0] f_fmt;
  begin
    m890_fmt_is8 = (f_fmt >= `M890_FMT_E4M3) && (f_fmt <= `M890_FMT_E2M3);
  end
endfunction

// the legality rule of ARCHITECTURE.md section 2, rule 1
function m890_fdpa_legal;
  input [3:0] l_fmt_a;
  input [3:0] l_fmt_b;
  input [2:0] l_rm;
  input [1:0] l_scale_fmt;
  begin
    m890_fdpa_legal = (l_fmt_a <= `M890_FMT_LAST) && (l_fmt_b <= `M890_FMT_LAST) &&
                      ((l_fmt_a == l_fmt_b) || (m890_fmt_is8(l_fmt_a) && m890_fmt_is8(l_fmt_b))) &&
                      (l_rm <= `M890_RM_LAST) && (l_scale_fmt != `M890_SF_RSVD);
  end
endfunction
`endif
