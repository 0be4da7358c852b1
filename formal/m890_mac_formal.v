// SPDX-License-Identifier: Apache-2.0
// Formal harness of m890_mac, ports only (it holds for any micro-architecture).
//  - latency and order (every task): out_valid is in_valid delayed by exactly LAT cycles,
//    checked against a shift register in the harness, on the first copy;
//  - a miter of two MAC copies fed related operations (task chosen by define):
//      F_SWAP: copy 2 gets a and b with lanes 0 and 1 swapped in both: z and flags equal;
//      F_NEG : copy 2 gets every b element and c negated, RDN and RUP swapped: z negated,
//              flags equal; except an exact +0 under RNE/RTZ/RMM (+0 either way) and the
//              canonical NaN (stays itself).
//    Operands, scale bytes and rm are unconstrained; the format pair is FMT (both operands)
//    and the scale format SF, both fixed per task.
`default_nettype none
module m890_mac_formal #(
  parameter       LAT = 5,         // the MAC's latency (docs/mac.md): set by the .sby per design
  parameter [3:0] FMT = 4'd7,      // element format of a and b (7 = E2M1, 3 = E4M3)
  parameter [1:0] SF  = 2'd0,      // scale format (0 = none, 1 = E8M0, 2 = UE4M3)
  parameter       FREE_LANES = 32, // lanes left unconstrained (the rest of a and b are +0): the
                                   // largest case the solver closes in time (docs/formal.md)
  parameter       C_ZERO = 0       // 1: c is a zero (either sign): a smaller case for the solver
) (
  input  wire        clk,
  input  wire        rst_n,
  input  wire        in_valid,
  input  wire [2:0]  in_rm,
  input  wire [7:0]  in_scale_a,
  input  wire [7:0]  in_scale_b,
  input  wire [31:0] in_a,
  input  wire [31:0] in_b,
  input  wire [31:0] in_c
);
  localparam [2:0] RNE = 3'd0, RTZ = 3'd1, RDN = 3'd2, RUP = 3'd3, RMM = 3'd4;
  localparam [31:0] QNAN = 32'h7FC00000;
  // lane geometry of FMT: element width w, its sign bit inside the w-bit field
  localparam W    = (FMT == 4'd7) ? 4 : (FMT == 4'd0) ? 32 : (FMT <= 4'd2) ? 16 : 8;
  localparam SGN  = (FMT == 4'd5 || FMT == 4'd6) ? 5 : W - 1;   // 6-bit formats: bit 5
  localparam N    = 32 / W;

  // ---------------------------------------------------------------- operand transforms
  function [31:0] swap01;       // lanes 0 and 1 exchanged
    input [31:0] x;
    begin
      swap01 = x;
      swap01[0 +: W] = x[W +: W];
      swap01[W +: W] = x[0 +: W];
    end
  endfunction
  function [31:0] neg_lanes;    // every element's sign bit flipped
    input [31:0] x;
    integer l;
    begin
      neg_lanes = x;
      for (l = 0; l < N; l = l + 1) neg_lanes[l*W + SGN] = ~x[l*W + SGN];
    end
  endfunction

`ifdef F_SWAP
  wire [31:0] a2 = swap01(in_a), b2 = swap01(in_b), c2 = in_c;
  wire [2:0]  rm2 = in_rm;
`elsif F_NEG
  wire [31:0] a2 = in_a, b2 = neg_lanes(in_b), c2 = in_c ^ 32'h80000000;
  wire [2:0]  rm2 = (in_rm == RDN) ? RUP : (in_rm == RUP) ? RDN : in_rm;
`else
  wire [31:0] a2 = in_a, b2 = in_b, c2 = in_c;
  wire [2:0]  rm2 = in_rm;
`endif

  wire        v1, v2;
  wire [31:0] z1, z2;
  wire [4:0]  f1, f2;
  m890_mac u1 (.clk(clk), .rst_n(rst_n), .in_valid(in_valid), .in_fmt_a(FMT), .in_fmt_b(FMT),
               .in_rm(in_rm), .in_scale_fmt(SF), .in_scale_a(in_scale_a), .in_scale_b(in_scale_b),
               .in_a(in_a), .in_b(in_b), .in_c(in_c), .out_valid(v1), .out_z(z1), .out_flags(f1));
`ifdef F_MITER
  m890_mac u2 (.clk(clk), .rst_n(rst_n), .in_valid(in_valid), .in_fmt_a(FMT), .in_fmt_b(FMT),
               .in_rm(rm2), .in_scale_fmt(SF), .in_scale_a(in_scale_a), .in_scale_b(in_scale_b),
               .in_a(a2), .in_b(b2), .in_c(c2), .out_valid(v2), .out_z(z2), .out_flags(f2));
`endif

  reg f_past_valid = 1'b0;
  always @(posedge clk) f_past_valid <= 1'b1;
  always @(*) if (!f_past_valid) assume (!rst_n);
  always @(*) assume (in_rm <= RMM);
  always @(*) if (C_ZERO) assume (in_c[30:0] == 31'd0);
  generate
    if (FREE_LANES < N) begin : g_zero_lanes
      always @(*) assume (in_a[31:FREE_LANES*W] == 0 && in_b[31:FREE_LANES*W] == 0);
    end
  endgenerate

  // ---------------------------------------------------------------- latency and order
  reg [LAT-1:0] f_vpipe;   // in_valid of the last LAT cycles, newest in bit 0
  reg [LAT:0]   f_age;     // cycles since reset, saturating at LAT
  always @(posedge clk) begin
    if (!rst_n) begin
      f_vpipe <= {LAT{1'b0}};
      f_age   <= {(LAT+1){1'b0}};
    end else begin
      f_vpipe <= {f_vpipe[LAT-2:0], in_valid};
      if (f_age < LAT) f_age <= f_age + 1'b1;
    end
  end
  // once LAT cycles out of reset, out_valid is exactly in_valid of LAT cycles ago; before
  // that (the pipe still holds reset state) nothing comes out
  always @(*) if (f_past_valid && rst_n) assert (v1 == f_vpipe[LAT-1]);

`ifdef F_MITER
  // the two copies see the same in_valid, so their outputs line up cycle for cycle
  always @(*) if (f_past_valid && rst_n && v1) begin
    assert (v2);
`ifdef F_SWAP
    assert (z2 == z1);
    assert (f2 == f1);
`endif
`ifdef F_NEG
    assert (f2 == f1);
    assert ((z2 == (z1 ^ 32'h80000000))
            || (z1 == QNAN && z2 == QNAN)
            || (z1 == 32'd0 && z2 == 32'd0 && in_rm_at_out != RDN && in_rm_at_out != RUP));
`endif
  end
`endif
`ifdef F_NEG
  // the rm of the operation now at the output
  reg [2:0] rm_pipe [0:LAT-1];
  integer f_i;
  always @(posedge clk) begin
    rm_pipe[0] <= in_rm;
    for (f_i = 1; f_i < LAT; f_i = f_i + 1) rm_pipe[f_i] <= rm_pipe[f_i - 1];
  end
  wire [2:0] in_rm_at_out = rm_pipe[LAT-1];
`endif

  always @(posedge clk) if (f_past_valid && rst_n) begin
    cover (v1 && z1 != 32'd0 && z1 != QNAN && f1 == 5'd0);   // an ordinary non-zero result
  end
endmodule
`default_nettype wire
