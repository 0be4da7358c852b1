// m890_mac -- one multi-format exact FDPA pipeline (ARCHITECTURE.md section 3).
//
//   in_* --> m890_fdpa_mul (`M890_MUL_LAT stages; carries {rm, c} as its tag, so the rounding mode and
//            the addend travel with their own operation) --> m890_fdpa_add (combinational) --> out regs
//
// Latency: LATENCY = `M890_MUL_LAT + 1 cycles from in_valid to out_valid (4 with the current defs).
// One operation per cycle, results in issue order.
`default_nettype none
`include "m890_fdpa_defs.vh"

module m890_mac (
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

  // pipeline latency in cycles, in_valid -> out_valid (tests read it)
  localparam LATENCY = `M890_MUL_LAT + 1;

  // parameter sanity check: the multiplier front end needs at least one register stage
  generate
    if (LATENCY < 2) begin : g_bad_latency
      m890_error_mul_lat_must_be_at_least_1 u_error ();
    end
  endgenerate

  wire                  mul_valid;
  wire [34:0]           mul_tag;
  wire [`M890_PB_W-1:0] mul_pb;

  m890_fdpa_mul #(
    .TAG_W(35)
  ) u_mul (
    .clk          (clk),
    .rst_n        (rst_n),
    .in_valid     (in_valid),
    .in_tag       ({in_rm, in_c}),
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

  m890_fdpa_add u_add (
    .pb    (mul_pb),
    .c     (mul_tag[31:0]),
    .rm    (mul_tag[34:32]),
    .z     (add_z),
    .flags (add_flags)
  );

  reg        v_q;
  reg [31:0] z_q;
  reg [4:0]  f_q;
  always @(posedge clk) begin
    if (!rst_n) v_q <= 1'b0;
    else        v_q <= mul_valid;
    z_q <= add_z;
    f_q <= add_flags;
  end

  assign out_valid = v_q;
  assign out_z     = z_q;
  assign out_flags = f_q;

endmodule

`default_nettype wire
