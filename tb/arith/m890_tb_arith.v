// SPDX-License-Identifier: Apache-2.0
// m890_tb_arith -- test-only wrapper: one instance of each rtl/m890_arith.v building block, at widths
// that exercise every partial level (odd widths, a non-power-of-two tree), driven by tb/arith/test_arith.py.
// Built with -DM890_STRUCTURAL the structural netlists (the ones synthesis builds) are simulated.
`default_nettype none
module m890_tb_arith #(
  parameter W  = 37,   // adder, leading-zero count, shifters
  parameter MA = 13,   // multiplier a width
  parameter MB = 11    // multiplier b width
) (
  input  wire [W-1:0]     a,
  input  wire [W-1:0]     b,
  input  wire             ci,
  input  wire [5:0]       sh,
  input  wire [5*W-1:0]   terms,
  output wire [W-1:0]     add_s,
  output wire             add_co,
  output wire [MA+MB-1:0] mul_p,
  output wire [5:0]       lzc_n,
  output wire [W-1:0]     shl_y,
  output wire [W-1:0]     shr_y,
  output wire [W-1:0]     csa_sum,
  output wire [W-1:0]     inc_s,
  output wire             inc_co
);
  m890_inc #(.W(W)) u_inc (.a(a), .s(inc_s), .co(inc_co));
  m890_add #(.W(W)) u_add (.a(a), .b(b), .ci(ci), .s(add_s), .co(add_co));
  m890_mul #(.AW(MA), .BW(MB)) u_mul (.a(a[MA-1:0]), .b(b[MB-1:0]), .p(mul_p));
  m890_lzc #(.W(W), .CW(6)) u_lzc (.x(a), .n(lzc_n));
  m890_shift #(.W(W), .SW(6), .LEFT(1)) u_shl (.x(a), .n(sh), .y(shl_y));
  m890_shift #(.W(W), .SW(6), .LEFT(0)) u_shr (.x(a), .n(sh), .y(shr_y));
  wire [W-1:0] cx, cy;
  wire         unused_co;
  m890_csa #(.W(W), .N(5)) u_csa (.t(terms), .x(cx), .y(cy));
  m890_add #(.W(W)) u_cpa (.a(cx), .b(cy), .ci(1'b0), .s(csa_sum), .co(unused_co));
endmodule
`default_nettype wire
