// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// Test-only AXI4-Stream FIFO (4 entries) for the stream library's own test (tb/common/test_axis.py).
// BUG = 1 breaks the master side on purpose: while a beat is stalled, tvalid drops for one cycle
// every 16 cycles (an AXI4-Stream violation the library's sink must report).
module m890_tb_axis_fifo #(
  parameter W   = 16,  // tdata width
  parameter BUG = 0    // 1: drop m_axis_tvalid while stalled (protocol violation)
) (
  input  wire         clk,
  input  wire         rst_n,
  input  wire [W-1:0] s_axis_tdata,
  input  wire [3:0]   s_axis_tuser,
  input  wire         s_axis_tlast,
  input  wire         s_axis_tvalid,
  output wire         s_axis_tready,
  output wire [W-1:0] m_axis_tdata,
  output wire [3:0]   m_axis_tuser,
  output wire         m_axis_tlast,
  output wire         m_axis_tvalid,
  input  wire         m_axis_tready
);
  reg [W+4:0] mem [0:3];
  reg [2:0]   wp, rp;
  reg [3:0]   cnt;
  wire empty  = (wp == rp);
  wire full   = ((wp - rp) == 3'd4);
  wire glitch = (BUG == 1) && !m_axis_tready && (cnt == 4'd7);
  assign s_axis_tready = !full;
  assign m_axis_tvalid = !empty && !glitch;
  assign {m_axis_tlast, m_axis_tuser, m_axis_tdata} = mem[rp[1:0]];
  always @(posedge clk) begin
    if (!rst_n) begin
      wp  <= 3'd0;
      rp  <= 3'd0;
      cnt <= 4'd0;
    end else begin
      cnt <= cnt + 4'd1;
      if (s_axis_tvalid && s_axis_tready) begin
        mem[wp[1:0]] <= {s_axis_tlast, s_axis_tuser, s_axis_tdata};
        wp <= wp + 3'd1;
      end
      if (m_axis_tvalid && m_axis_tready) rp <= rp + 3'd1;
    end
  end
endmodule
`default_nettype wire
