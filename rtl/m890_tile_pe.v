// SPDX-License-Identifier: Apache-2.0
// m890_tile_pe: one processing element of the m890_tile output-stationary array.
//
// A pipelined m890_fdpa_mul forms the exact scaled product bundle of one lane
// step (A_k[r] x B_k[c]); NUM_PIPE_REGS cycles later the bundle meets the
// one-cycle accumulation loop
//     acc <= m890_fdpa_add(pb, first ? init : acc, rm)
// so one lane step is retired every cycle although acc_{k+1} depends on acc_k.
// The step's control (valid/first/kzero/rm) comes from the tile's control
// pipe, which is exactly as deep as the multiplier.
`default_nettype none
`include "m890_fdpa_defs.vh"

module m890_tile_pe #(
  parameter NUM_PIPE_REGS = 3   // multiplier pipeline registers (1..3) = depth of the tile's control pipe
) (
  input  wire        clk,
  input  wire        rst_n,       // synchronous, active low (only the multiplier pipe uses it)
  // issue side (the lane step entering the multiplier)
  input  wire        in_valid,
  input  wire [3:0]  in_fmt_a,
  input  wire [3:0]  in_fmt_b,
  input  wire [1:0]  in_scale_fmt,
  input  wire [7:0]  in_scale_a,
  input  wire [7:0]  in_scale_b,
  input  wire [31:0] in_a,
  input  wire [31:0] in_b,
  // accumulate side (the same step, NUM_PIPE_REGS cycles later)
  input  wire        ctl_valid,   // a step (or a K=0 pseudo step) arrives
  input  wire        ctl_first,   // first step of its command: start from init
  input  wire        ctl_kzero,   // K=0 pseudo step: result = init, flags 0
  input  wire [2:0]  ctl_rm,
  input  wire [31:0] ctl_init,    // C[r][c] or +0.0
  output wire [31:0] step_z,      // accumulator value after this step
  output wire [4:0]  step_flags   // OR of the command's step flags so far
);

  wire                   mul_valid;
  wire                   mul_tag;
  wire [`M890_PB_W-1:0]  pb;

  m890_fdpa_mul #(.TAG_W(1), .NUM_PIPE_REGS(NUM_PIPE_REGS)) u_mul (
    .clk          (clk),
    .rst_n        (rst_n),
    .in_valid     (in_valid),
    .in_tag       (1'b0),
    .in_fmt_a     (in_fmt_a),
    .in_fmt_b     (in_fmt_b),
    .in_scale_fmt (in_scale_fmt),
    .in_scale_a   (in_scale_a),
    .in_scale_b   (in_scale_b),
    .in_a         (in_a),
    .in_b         (in_b),
    .out_valid    (mul_valid),
    .out_tag      (mul_tag),
    .out_pb       (pb)
  );

  // The tile's control pipe carries valid and the step's fields; the
  // multiplier's own valid/tag are not needed.
  wire unused_mul = mul_valid | mul_tag;

  reg  [31:0] acc;
  reg  [4:0]  acc_flags;
  wire [31:0] add_z;
  wire [4:0]  add_flags;

  wire unused_add_v;
  m890_fdpa_add #(.CUT(0)) u_add (   // combinational: the one-cycle accumulate loop
    .clk       (clk),
    .rst_n     (rst_n),
    .in_valid  (1'b0),
    .out_valid (unused_add_v),
    .pb    (pb),
    .c     (ctl_first ? ctl_init : acc),
    .rm    (ctl_rm),
    .z     (add_z),
    .flags (add_flags)
  );

  assign step_z     = ctl_kzero ? ctl_init : add_z;
  assign step_flags = ctl_kzero ? 5'd0 : (add_flags | (ctl_first ? 5'd0 : acc_flags));

  // Datapath registers: no reset needed, every command starts from init.
  always @(posedge clk) begin
    if (ctl_valid) begin
      acc       <= step_z;
      acc_flags <= step_flags;
    end
  end

endmodule

`default_nettype wire
