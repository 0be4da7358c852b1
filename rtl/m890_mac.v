// SPDX-License-Identifier: Apache-2.0
// m890_mac -- one multi-format exact FDPA pipeline (ARCHITECTURE.md section 3).
//
//   in_* --> m890_fdpa_legal() --> m890_fdpa_mul (NUM_PIPE_REGS stages; carries {illegal, rm, c} as its tag, so
//            the rounding mode, the addend and the legality travel with their own operation)
//        --> m890_fdpa_add (CUT = 1: one register after its window sum) --> illegal ? (qNaN, NV) : (z, flags)
//        --> out regs
//
// Latency: LATENCY = NUM_PIPE_REGS + 2 cycles from in_valid to out_valid (5 at the default setting).
// One operation per cycle, results in issue order.
`default_nettype none
`include "m890_fdpa_defs.vh"

module m890_mac #(
  parameter NUM_PIPE_REGS = 3   // pipeline registers inside m890_fdpa_mul, 1..3 (latency = NUM_PIPE_REGS + 2)
) (
  input  wire        clk,
  input  wire        rst_n,        // synchronous, active low
  input  wire        in_valid,
  input  wire [3:0]  in_fmt_a,
  input  wire [3:0]  in_fmt_b,
  input  wire [2:0]  in_rm,
  input  wire [1:0]  in_scale_fmt,
  input  wire [7:0]  in_scale_a,
  input  wire [7:0]  in_scale_b,
  input  wire [31:0] in_a,
  input  wire [31:0] in_b,
  input  wire [31:0] in_c,
  output wire        out_valid,
  output wire [31:0] out_z,
  output wire [4:0]  out_flags
);

`include "m890_formats.vh"

  // pipeline latency in cycles, in_valid -> out_valid (tests read it: tb/mac/batch.py documented_latency())
  localparam LATENCY = NUM_PIPE_REGS + 2;

  // parameter sanity check: 1..3 multiplier registers + the final add's register + the output register
  generate
    if (LATENCY < 3 || LATENCY > 5) begin : g_bad_pipe_regs
      m890_error_num_pipe_regs_must_be_1_to_3 u_error ();
    end
  endgenerate

  wire                  in_ill = !m890_fdpa_legal(in_fmt_a, in_fmt_b, in_rm, in_scale_fmt);
  wire                  mul_valid;
  wire [35:0]           mul_tag;
  wire [`M890_PB_W-1:0] mul_pb;

  m890_fdpa_mul #(
    .TAG_W         (36),
    .NUM_PIPE_REGS (NUM_PIPE_REGS)
  ) u_mul (
    .clk          (clk),
    .rst_n        (rst_n),
    .in_valid     (in_valid),
    .in_tag       ({in_ill, in_rm, in_c}),
    .in_fmt_a     (in_fmt_a),
    .in_fmt_b     (in_fmt_b),
    .in_scale_fmt (in_scale_fmt),
    .in_scale_a   (in_scale_a),
    .in_scale_b   (in_scale_b),
    .in_a         (in_a),
    .in_b         (in_b),
    .out_valid    (mul_valid),
    .out_tag      (mul_tag),
    .out_pb       (mul_pb)
  );

  wire [31:0] add_z;
  wire [4:0]  add_flags;

  wire        add_valid, add_ill;
  m890_fdpa_add #(.CUT(1)) u_add (
    .clk       (clk),
    .rst_n     (rst_n),
    .in_valid  (mul_valid),
    .out_valid (add_valid),
    .pb    (mul_pb),
    .c     (mul_tag[31:0]),
    .rm    (mul_tag[34:32]),
    .z     (add_z),
    .flags (add_flags)
  );

  // the legality verdict waits for its operation across the final add's register
  wire unused_v;
  m890_fdpa_cut #(.W(1), .REG(1)) u_ill (
    .clk(clk), .rst_n(rst_n), .in_valid(1'b0), .out_valid(unused_v), .in_d(mul_tag[35]), .out_d(add_ill));
  reg        v_q;
  reg [31:0] z_q;
  reg [4:0]  f_q;
  always @(posedge clk) begin
    if (!rst_n) v_q <= 1'b0;
    else        v_q <= add_valid;
    z_q <= add_ill ? `M890_QNAN    : add_z;
    f_q <= add_ill ? `M890_FLAG_NV : add_flags;
  end

  assign out_valid = v_q;
  assign out_z     = z_q;
  assign out_flags = f_q;

endmodule

`default_nettype wire
