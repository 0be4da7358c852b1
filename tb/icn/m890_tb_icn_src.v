`default_nettype none
// Test-only per-VC message sources for the ICN bench (drives one endpoint's s_axis).
// Stream of VC v: xorshift64 state S (init from SEED and STREAM_ID*NUM_VC+v, see
// models/icn_model.py); beat data word j = rotl64(S, 8j) ^ (GOLD*(j+1)); a packet's length is
// 1 + (S>>40) % MAX_PKT taken at its first beat; S advances once per beat.
// Random idle cycles (tvalid low) with probability idle_thr/2^32; sends num_pkts packets per VC.
module m890_tb_icn_src #(
  parameter DATA_W = 256,   // beat width (multiple of 64)
  parameter NUM_VC = 3,     // virtual channels
  parameter MAX_PKT = 8,    // longest packet in beats
  parameter STREAM_ID = 0   // which side this is (0: A, 1: B)
) (
  input  wire                     clk,
  input  wire                     rst_n,
  input  wire                     en,
  input  wire [31:0]              seed,
  input  wire [31:0]              num_pkts,
  input  wire [31:0]              idle_thr,
  output wire [NUM_VC*DATA_W-1:0] tdata,
  output wire [NUM_VC-1:0]        tvalid,
  input  wire [NUM_VC-1:0]        tready,
  output wire [NUM_VC-1:0]        tlast,
  output wire [NUM_VC-1:0]        done      // VC v has had all num_pkts packets accepted
);
  localparam NW = DATA_W / 64;
  localparam [63:0] GOLD = 64'h9E3779B97F4A7C15;

  `include "m890_tb_icn_prng.vh"
  function [31:0] plen;
    input [63:0] s;
    begin
      plen = 1 + ((s >> 40) % MAX_PKT);
    end
  endfunction

  genvar g, w;
  generate
    for (g = 0; g < NUM_VC; g = g + 1) begin : g_vc
      reg [63:0] s;
      reg [31:0] len, bidx, pkts, rnd, nsent;
      reg        valid;
      wire       hs = valid && tready[g];
      wire       last = (bidx == len - 1);
      wire [63:0] s0 = ({seed, ~seed} ^ (GOLD * (STREAM_ID * NUM_VC + g + 1))) | 64'h1;
      assign tvalid[g] = valid;
      assign tlast[g]  = last;
      assign done[g]   = (pkts >= num_pkts);
      for (w = 0; w < NW; w = w + 1) begin : g_w
        wire [63:0] rot = (w == 0) ? s : ((s << (8 * w)) | (s >> (64 - 8 * w)));
        assign tdata[g*DATA_W + 64*w +: 64] = rot ^ (GOLD * (w + 1));
      end
      wire [31:0] pkts_n = pkts + ((hs && last) ? 32'd1 : 32'd0);
      always @(posedge clk) begin
        if (!rst_n) begin
          s     <= s0;
          len   <= plen(s0);
          bidx  <= 0;
          pkts  <= 0;
          nsent <= 0;
          valid <= 1'b0;
          rnd   <= xs32(seed ^ (32'h85EBCA6B * (STREAM_ID * NUM_VC + g + 1))) | 32'h1;
        end else begin
          rnd <= xs32(rnd);
          if (hs) begin
            s     <= xs64(s);
            nsent <= nsent + 1;
            if (last) begin
              bidx <= 0;
              len  <= plen(xs64(s));
            end else begin
              bidx <= bidx + 1;
            end
          end
          pkts <= pkts_n;
          if (!valid || hs) valid <= en && (pkts_n < num_pkts) && (rnd >= idle_thr);
        end
      end
    end
  endgenerate
endmodule
`default_nettype wire
