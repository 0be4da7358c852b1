// SPDX-License-Identifier: Apache-2.0
// m890_tile_pe: one processing element of the m890_tile output-stationary array.
//
// A pipelined m890_fdpa_mul forms the exact scaled product bundle of one lane
// step (A_k[r] x B_k[c]); NUM_PIPE_REGS cycles later the bundle meets the
// accumulation loop of its chain g (one of NACC):
//     acc[g] <= m890_fdpa_add(pb, first ? init : acc[g], rm)
// NACC = 1: a one-cycle loop. NACC >= 2: the final add is cut once, the loop
// takes two cycles, and the NACC chains arrive in turn (g = 0, 1, .., NACC-1
// per lane step), so one step retires every cycle although acc_{k+1} of a
// chain depends on its acc_k. The step's control comes from the tile's
// control pipe: the accumulate side (read) and the write-back side (one cycle
// later when the add is cut).
`default_nettype none
`include "m890_fdpa_defs.vh"

module m890_tile_pe #(
  parameter NUM_PIPE_REGS = 3,  // multiplier pipeline registers (1..3) = depth of the tile's control pipe
  parameter NACC          = 1,  // interleaved accumulation chains (1..8, ARCHITECTURE.md 4.1)
  parameter GW            = 1   // width of a chain index (the tile passes max(1, clog2(NACC)))
) (
  input  wire          clk,
  input  wire          rst_n,       // synchronous, active low (only the multiplier pipe uses it)
  // issue side (the lane step entering the multiplier)
  input  wire          in_valid,
  input  wire [3:0]    in_fmt_a,
  input  wire [3:0]    in_fmt_b,
  input  wire [1:0]    in_scale_fmt,
  input  wire [7:0]    in_scale_a,
  input  wire [7:0]    in_scale_b,
  input  wire [31:0]   in_a,
  input  wire [31:0]   in_b,
  // accumulate side (the same step, NUM_PIPE_REGS cycles later): chain ctl_grp's accumulator is read
  input  wire          ctl_first,   // first step of its chain: start from init
  input  wire [GW-1:0] ctl_grp,     // the step's chain
  input  wire [2:0]    ctl_rm,
  input  wire [31:0]   ctl_init,    // C[r][g*COLS+c] or +0.0
  // write-back side (the same step, LOOP - 1 cycles after the accumulate side): the chain is written
  input  wire          wb_valid,    // a step (or a K=0 pseudo step) retires
  input  wire          wb_first,
  input  wire          wb_kzero,    // K=0 pseudo step: result = init, flags 0
  input  wire [GW-1:0] wb_grp,
  output wire [31:0]   step_z,      // chain wb_grp's accumulator after this step
  output wire [4:0]    step_flags   // OR of the chain's step flags so far
);

  // The accumulate loop: NACC = 1 closes it in one cycle (the final add combinational); NACC >= 2
  // cuts the final add once (m890_fdpa_add CUT = 1), so a chain's step takes two cycles and the
  // NACC chains, issued in turn, keep one step per cycle in flight (docs/tile.md, "Interleave").
  localparam CUT = (NACC > 1) ? 1 : 0;

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

  reg  [32*NACC-1:0] acc;        // chain g in [32*g +: 32]
  reg  [5*NACC-1:0]  acc_flags;
  wire [31:0]        acc_rd = acc[32*ctl_grp +: 32];
  wire [4:0]         accf_wb = acc_flags[5*wb_grp +: 5];
  wire [31:0]        add_z;
  wire [4:0]         add_flags;

  wire unused_add_v;
  m890_fdpa_add #(.CUT(CUT)) u_add (
    .clk       (clk),
    .rst_n     (rst_n),
    .in_valid  (1'b0),
    .out_valid (unused_add_v),
    .pb    (pb),
    .c     (ctl_first ? ctl_init : acc_rd),
    .rm    (ctl_rm),
    .z     (add_z),
    .flags (add_flags)
  );

  // a K=0 pseudo step returns init: it waits for its write-back across the add's cut
  wire [31:0] wb_init;
  wire        unused_init_v;
  m890_fdpa_cut #(.W(32), .REG(CUT)) u_init (
    .clk(clk), .rst_n(rst_n), .in_valid(1'b0), .out_valid(unused_init_v), .in_d(ctl_init), .out_d(wb_init));

  assign step_z     = wb_kzero ? wb_init : add_z;
  assign step_flags = wb_kzero ? 5'd0 : (add_flags | (wb_first ? 5'd0 : accf_wb));

  // Datapath registers: no reset needed, every command starts each chain from init. A chain register
  // takes the add's result (a K=0 pseudo step has no later step, its acc is never read), one enable each.
  genvar g;
  generate
    for (g = 0; g < NACC; g = g + 1) begin : g_chain
      localparam integer  GI = g;
      localparam [GW-1:0] GV = GI[GW-1:0];
      always @(posedge clk) begin
        if (wb_valid && (wb_grp == GV)) begin
          acc[32*g +: 32]     <= add_z;
          acc_flags[5*g +: 5] <= step_flags;
        end
      end
    end
  endgenerate

endmodule

`default_nettype wire
