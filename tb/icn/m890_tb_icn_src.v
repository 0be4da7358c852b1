// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// Test-only per-VC message sources for the ICN bench (drives one endpoint's s_axis).
// Stream of VC v: xorshift64 state S (init from SEED and STREAM_ID*NUM_VC+v, see
// models/icn_model.py); beat data word j = rotl64(S, 8j) ^ (GOLD*(j+1)); a packet's length is
// 1 + (S>>40) % MAX_PKT taken at its first beat; S advances once per beat.
// Random idle cycles (tvalid low) with probability idle_thr/2^32; sends num_pkts packets per VC.
// The user logic of a side is reset with its endpoint (ep_rst): it then abandons the packet it
// is in the middle of (the rest of its beats are never offered; the stream goes on with the next
// packet, so the checking sink can tell which packets were lost). safe_from: index of the first
// packet whose head was accepted after this side's link_up rose after the last reset of either
// endpoint (any_rst), once SAFE_DELAY cycles have passed since that reset; 2^32-1 while there is
// none. The peer's sink may skip only packets below it. (SAFE_DELAY: a survivor can raise
// link_up on flits its peer sent just before being reset, still in the channel, and accept
// packets until the peer's fresh INITs arrive; no protocol can tell such a window apart, see
// docs/icn.md.)
module m890_tb_icn_src #(
  parameter DATA_W = 256,   // beat width (multiple of 64)
  parameter NUM_VC = 3,     // virtual channels
  parameter MAX_PKT = 8,    // longest packet in beats
  parameter STREAM_ID = 0,  // which side this is (0: A, 1: B)
  parameter SAFE_DELAY = 128 // cycles after a reset before link_up arms safe_from (see above)
) (
  input  wire                     clk,
  input  wire                     rst_n,
  input  wire                     en,
  input  wire [31:0]              seed,
  input  wire [31:0]              num_pkts,
  input  wire [31:0]              idle_thr,
  input  wire                     ep_rst,   // this side's endpoint (and user logic) is in reset
  input  wire                     any_rst,  // either endpoint is in reset
  input  wire                     up,       // this side's link_up
  output wire [NUM_VC*32-1:0]     safe_from,
  output wire [NUM_VC*32-1:0]     pkts,     // packets finished per VC (accepted, or abandoned by ep_rst)
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
      reg [31:0] len, bidx, npk, rnd, nsent, safe;
      assign pkts[32*g +: 32] = npk;
      reg        valid, armed, up_d, abandon, rose;
      reg [31:0] age;
      assign safe_from[32*g +: 32] = safe;
      wire       hs = valid && tready[g] && !ep_rst;
      wire       last = (bidx == len - 1);
      wire [63:0] s0 = ({seed, ~seed} ^ (GOLD * (STREAM_ID * NUM_VC + g + 1))) | 64'h1;
      assign tvalid[g] = valid;
      assign tlast[g]  = last;
      assign done[g]   = (npk >= num_pkts);
      for (w = 0; w < NW; w = w + 1) begin : g_w
        wire [63:0] rot = (w == 0) ? s : ((s << (8 * w)) | (s >> (64 - 8 * w)));
        assign tdata[g*DATA_W + 64*w +: 64] = rot ^ (GOLD * (w + 1));
      end
      wire [31:0] npk_n = npk + (((hs || abandon) && last) ? 32'd1 : 32'd0);
      always @(posedge clk) begin
        if (!rst_n) begin
          s     <= s0;
          len   <= plen(s0);
          bidx  <= 0;
          npk   <= 0;
          nsent <= 0;
          valid <= 1'b0;
          safe  <= 0;
          armed <= 1'b0;
          up_d  <= 1'b0;
          rose  <= 1'b0;
          age   <= 0;
          abandon <= 1'b0;
          rnd   <= xs32(seed ^ (32'h85EBCA6B * (STREAM_ID * NUM_VC + g + 1))) | 32'h1;
        end else begin
          rnd <= xs32(rnd);
          up_d <= up;
          if (any_rst) begin
            safe  <= 32'hFFFFFFFF;
            armed <= 1'b0;
            rose  <= 1'b0;
            age   <= 0;
          end else begin
            if (age != 32'hFFFFFFFF) age <= age + 1;
            if (up && !up_d) rose <= 1'b1;
            if (up && (rose || !up_d) && age >= SAFE_DELAY) armed <= 1'b1;
          end
          if (!any_rst && hs && bidx == 0 && armed && safe == 32'hFFFFFFFF) safe <= npk;
          // reset of this side mid-packet: the user abandons the rest of the packet
          if (ep_rst && bidx != 0 && !abandon) abandon <= 1'b1;
          else if (abandon && last) abandon <= 1'b0;
          if (hs || abandon) begin
            s     <= xs64(s);
            nsent <= nsent + 1;
            if (last) begin
              bidx <= 0;
              len  <= plen(xs64(s));
            end else begin
              bidx <= bidx + 1;
            end
          end
          npk <= npk_n;
          if (ep_rst || abandon) valid <= 1'b0;
          else if (!valid || hs) valid <= en && (npk_n < num_pkts) && (rnd >= idle_thr);
        end
      end
    end
  endgenerate
endmodule
`default_nettype wire
