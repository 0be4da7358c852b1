// SPDX-License-Identifier: Apache-2.0
// Formal harness of m890_tile: port-level properties only, so it holds for any
// micro-architecture. The arithmetic (every m890_tile_pe) is cut out by the .sby script
// (its outputs become free inputs): what is proven is the stream protocol and the beat
// accounting of section 4, not the numbers (the simulation benches check those).
//   F_LIVE defined: bounded liveness task (sources always valid, sink always ready).
`default_nettype none
module m890_tile_formal #(
  parameter ROWS  = 2,
  parameter COLS  = 1,
  parameter KMAX  = 3,    // assumed upper bound of a command's K (k_steps)
  parameter BOUND = 16    // liveness: cycles a command may stay unfinished (see docs/formal.md)
) (
  input  wire                clk,
  input  wire                rst_n,
  input  wire [63:0]         s_axis_cmd_tdata,
  input  wire                s_axis_cmd_tvalid,
  input  wire [32*ROWS-1:0]  s_axis_a_tdata,
  input  wire [8*ROWS-1:0]   s_axis_a_tuser,
  input  wire                s_axis_a_tvalid,
  input  wire [32*COLS-1:0]  s_axis_b_tdata,
  input  wire [8*COLS-1:0]   s_axis_b_tuser,
  input  wire                s_axis_b_tvalid,
  input  wire [32*COLS-1:0]  s_axis_c_tdata,
  input  wire                s_axis_c_tvalid,
  input  wire                m_axis_z_tready
);
  wire                s_axis_cmd_tready, s_axis_a_tready, s_axis_b_tready, s_axis_c_tready;
  wire [32*COLS-1:0]  m_axis_z_tdata;
  wire [5*COLS-1:0]   m_axis_z_tuser;
  wire                m_axis_z_tvalid, m_axis_z_tlast;

  m890_tile #(.ROWS(ROWS), .COLS(COLS)) dut (
    .clk(clk), .rst_n(rst_n),
    .s_axis_cmd_tdata(s_axis_cmd_tdata), .s_axis_cmd_tvalid(s_axis_cmd_tvalid),
    .s_axis_cmd_tready(s_axis_cmd_tready),
    .s_axis_a_tdata(s_axis_a_tdata), .s_axis_a_tuser(s_axis_a_tuser),
    .s_axis_a_tvalid(s_axis_a_tvalid), .s_axis_a_tready(s_axis_a_tready),
    .s_axis_b_tdata(s_axis_b_tdata), .s_axis_b_tuser(s_axis_b_tuser),
    .s_axis_b_tvalid(s_axis_b_tvalid), .s_axis_b_tready(s_axis_b_tready),
    .s_axis_c_tdata(s_axis_c_tdata), .s_axis_c_tvalid(s_axis_c_tvalid),
    .s_axis_c_tready(s_axis_c_tready),
    .m_axis_z_tdata(m_axis_z_tdata), .m_axis_z_tuser(m_axis_z_tuser),
    .m_axis_z_tvalid(m_axis_z_tvalid), .m_axis_z_tready(m_axis_z_tready),
    .m_axis_z_tlast(m_axis_z_tlast)
  );

  reg f_past_valid = 1'b0;
  always @(posedge clk) f_past_valid <= 1'b1;
  always @(*) if (!f_past_valid) assume (!rst_n);

  wire [15:0] cmd_k     = s_axis_cmd_tdata[31:16];
  wire        cmd_acc_c = s_axis_cmd_tdata[13];
  always @(*) assume (cmd_k <= KMAX);

  wire cmd_hs = s_axis_cmd_tvalid && s_axis_cmd_tready;
  wire a_hs   = s_axis_a_tvalid && s_axis_a_tready;
  wire b_hs   = s_axis_b_tvalid && s_axis_b_tready;
  wire c_hs   = s_axis_c_tvalid && s_axis_c_tready;
  wire z_hs   = m_axis_z_tvalid && m_axis_z_tready;

  // ------------------------------------------------------------ environment: sources hold
  always @(posedge clk) if (f_past_valid && $past(rst_n) && rst_n) begin
    if ($past(s_axis_cmd_tvalid && !s_axis_cmd_tready)) begin
      assume (s_axis_cmd_tvalid);
      assume (s_axis_cmd_tdata == $past(s_axis_cmd_tdata));
    end
    if ($past(s_axis_a_tvalid && !s_axis_a_tready)) begin
      assume (s_axis_a_tvalid);
      assume (s_axis_a_tdata == $past(s_axis_a_tdata) && s_axis_a_tuser == $past(s_axis_a_tuser));
    end
    if ($past(s_axis_b_tvalid && !s_axis_b_tready)) begin
      assume (s_axis_b_tvalid);
      assume (s_axis_b_tdata == $past(s_axis_b_tdata) && s_axis_b_tuser == $past(s_axis_b_tuser));
    end
    if ($past(s_axis_c_tvalid && !s_axis_c_tready)) begin
      assume (s_axis_c_tvalid);
      assume (s_axis_c_tdata == $past(s_axis_c_tdata));
    end
  end

  // ------------------------------------------------------------ Z master: hold until taken
  always @(posedge clk) if (f_past_valid) begin
    if ($past(rst_n) && rst_n && $past(m_axis_z_tvalid && !m_axis_z_tready)) begin
      assert (m_axis_z_tvalid);
      assert (m_axis_z_tdata == $past(m_axis_z_tdata));
      assert (m_axis_z_tuser == $past(m_axis_z_tuser));
      assert (m_axis_z_tlast == $past(m_axis_z_tlast));
    end
  end
  // nothing accepted while rst_n is low (any reset cycle, the first included); nothing emitted
  // from the first reset edge on (the output valid is a register: synchronous reset)
  always @(*) if (f_past_valid && !rst_n)
    assert (!s_axis_cmd_tready && !s_axis_a_tready && !s_axis_b_tready && !s_axis_c_tready);
  always @(posedge clk) if (f_past_valid && !$past(rst_n)) assert (!m_axis_z_tvalid);

  // ------------------------------------------------------------ beat accounting
  // A command queue in the harness: per accepted, unfinished command (oldest first) the
  // running total of the A/B and C beats it and every earlier command need. Counters are
  // modulo 2^8; with at most QD-1 commands unfinished, each under KMAX (or ROWS) beats, a
  // difference of two of them never wraps, so "x - y <= bound" means y <= x <= y + bound.
  localparam QD = 8;
  localparam [7:0] AB_MAX = QD * KMAX;   // most A/B beats owed at once
  localparam [7:0] C_MAX  = QD * ROWS;
  reg [7:0] need_ab, need_c;     // beats needed by every accepted command
  reg [7:0] took_a, took_b, took_c;
  reg [7:0] q_ab [0:QD-1];
  reg [7:0] q_c  [0:QD-1];
  reg [3:0] q_n;                 // commands accepted, not yet finished
  reg [7:0] z_beats;             // Z beats of the oldest unfinished command so far
  integer f_i;
  wire       z_end  = z_hs && m_axis_z_tlast;
  wire [7:0] nab    = need_ab + cmd_k[7:0];
  wire [7:0] nc     = need_c + (cmd_acc_c ? ROWS[7:0] : 8'd0);
  wire [3:0] q_slot = q_n - (z_end ? 4'd1 : 4'd0);
  always @(posedge clk) begin
    if (!rst_n) begin
      need_ab <= 8'd0; need_c <= 8'd0;
      took_a <= 8'd0; took_b <= 8'd0; took_c <= 8'd0;
      q_n <= 4'd0; z_beats <= 8'd0;
    end else begin
      if (a_hs) took_a <= took_a + 8'd1;
      if (b_hs) took_b <= took_b + 8'd1;
      if (c_hs) took_c <= took_c + 8'd1;
      if (z_hs) z_beats <= z_end ? 8'd0 : z_beats + 8'd1;
      if (z_end) for (f_i = 0; f_i < QD - 1; f_i = f_i + 1) begin
        q_ab[f_i] <= q_ab[f_i + 1];
        q_c[f_i]  <= q_c[f_i + 1];
      end
      if (cmd_hs) begin
        need_ab <= nab;
        need_c  <= nc;
        q_ab[q_slot[2:0]] <= nab;
        q_c[q_slot[2:0]]  <= nc;
      end
      q_n <= q_n + (cmd_hs ? 4'd1 : 4'd0) - (z_end ? 4'd1 : 4'd0);
    end
  end

  always @(*) if (f_past_valid) begin
    // the tile holds a bounded number of unfinished commands (the harness queue never fills)
    assert (q_n < QD);
    // never a beat that no accepted command asked for
    assert ((need_ab - took_a) <= AB_MAX);
    assert ((need_ab - took_b) <= AB_MAX);
    assert ((need_c - took_c) <= C_MAX);
    // never a Z beat without an unfinished command; tlast exactly on its last row
    assert (z_beats < ROWS);
    if (m_axis_z_tvalid) begin
      assert (q_n != 4'd0);
      assert (m_axis_z_tlast == (z_beats == ROWS - 1));
    end
    // a command's last Z beat only after it took every A, B and C beat it needs
    if (z_end) begin
      assert ((took_a - q_ab[0]) <= AB_MAX);
      assert ((took_b - q_ab[0]) <= AB_MAX);
      assert ((took_c - q_c[0]) <= C_MAX);
    end
  end

`ifdef F_LIVE
  // ------------------------------------------------------------ bounded liveness
  // Every source always offers a beat and the sink always takes one: then the oldest
  // unfinished command ends within BOUND cycles.
  always @(*) if (f_past_valid && rst_n) begin
    assume (s_axis_cmd_tvalid && s_axis_a_tvalid && s_axis_b_tvalid && s_axis_c_tvalid);
    assume (m_axis_z_tready);
  end
  reg [7:0] f_wait;
  always @(posedge clk) begin
    if (!rst_n || z_end || q_n == 4'd0) f_wait <= 8'd0;
    else f_wait <= f_wait + 8'd1;
  end
  always @(*) if (f_past_valid) assert (f_wait < BOUND);
`endif

  // ------------------------------------------------------------ covers
  always @(posedge clk) if (f_past_valid && rst_n) begin
    cover (z_end && q_n == 4'd2);                       // one command ends while another waits
    cover (z_end && took_c != 8'd0 && took_a != 8'd0);  // a command with C and A/B beats ends
  end
endmodule
`default_nettype wire
