// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// Test-only hostile link channel (one direction) for the ICN bench. Not synthesizable RTL.
//
// Per flit slot it may (each with a 32-bit threshold probability, p/2^32, from the bench):
//  - flip 1, 2 or 3 random bits        (P1 >= P2 >= P3: P(k >= 1), P(k >= 2), P(k >= 3))
//  - flip a burst of 2..32 bits        (first and last bit of the burst always flipped)
//  - drop the flit
//  - emit a duplicate of one of the last 4 emitted flits (a late duplicate: 1..4 flits stale,
//    so it carries old ACK/credit/INIT values) or a garbage flit (the sender is stalled that cycle)
//  - stall the sender (link_tx_ready low)
// plus a directed "kill" of the next KILL_CNT flits whose type is in KILL_MASK (drop, or
// corrupt one bit when KILL_CORRUPT). Delivery is in order after LAT cycles.
// Randomness: xorshift32 generators seeded from SEED, so a run is reproducible.
// Its counters leave through the `status` port (the Python monitor reads ports, not hierarchy).
module m890_tb_icn_channel #(
  parameter FLIT_W = 320,  // flit width
  parameter TYPE_LSB = 256, // bit position of the 2-bit flit type field
  parameter LAT = 4         // wire latency in cycles (>= 1)
) (
  input  wire              clk,
  input  wire              rst_n,
  input  wire [FLIT_W-1:0] in_data,
  input  wire              in_valid,
  output wire              in_ready,
  output wire [FLIT_W-1:0] out_data,
  output wire              out_valid,
  input  wire [31:0]       seed,
  input  wire [31:0]       p1,
  input  wire [31:0]       p2,
  input  wire [31:0]       p3,
  input  wire [31:0]       p_burst,
  input  wire [31:0]       p_drop,
  input  wire [31:0]       p_dup,
  input  wire [31:0]       p_garb,
  input  wire [31:0]       p_stall,
  input  wire [3:0]        kill_mask,
  input  wire [15:0]       kill_cnt,
  input  wire              kill_load,
  input  wire              kill_corrupt,
  // status for the bench's monitor: counters n_in, n_out, n_biterr, n_burst, n_drop, n_dup,
  // n_garb, n_stall, n_kill (32 bits each, n_in in the LSBs) and the kills still to do
  output wire [9*32-1:0]   status,
  output wire [15:0]       kills_left
);
  localparam NR = 12;
  reg [31:0] rs [0:NR-1];
  integer k;

  `include "m890_tb_icn_prng.vh"

  // statistics
  reg [31:0] n_in, n_out, n_biterr, n_burst, n_drop, n_dup, n_garb, n_stall, n_kill;
  reg [15:0] kill_left;
  assign status = {n_kill, n_stall, n_garb, n_dup, n_drop, n_burst, n_biterr, n_out, n_in};
  assign kills_left = kill_left;
  reg [FLIT_W-1:0] hist [0:3];   // the last 4 emitted flits, hist[0] newest
  reg [2:0]        nhist;
  wire [1:0]       dsel = (rs[10][1:0] < nhist[1:0] || nhist[2]) ? rs[10][1:0] : 2'd0;
  wire             have_last = (nhist != 3'd0);

  wire hit_dup   = have_last && (rs[7] < p_dup);
  wire hit_garb  = !hit_dup && (rs[8] < p_garb);
  wire hit_stall = rs[9] < p_stall;
  assign in_ready = !(hit_dup || hit_garb || hit_stall);

  wire        take   = in_valid && in_ready;
  wire [1:0]  ftype  = in_data[TYPE_LSB +: 2];
  wire        killit = take && (kill_left != 16'd0) && kill_mask[ftype];

  // garbage flit: the generator states, repeated to the flit width
  localparam GREP = FLIT_W / (32 * NR) + 1;
  wire [32*NR*GREP-1:0] gcat = {GREP{rs[0], rs[1], rs[2], rs[3], rs[4], rs[5], rs[6], rs[7], rs[8], rs[9], rs[10], rs[11]}};

  // error pattern for this slot
  reg [FLIT_W-1:0] flip;
  reg [FLIT_W-1:0] garbage;
  reg [5:0]        blen;
  reg [31:0]       bpat;
  integer          nerr;
  always @(*) begin
    flip = {FLIT_W{1'b0}};
    nerr = 0;
    if (rs[0] < p1) nerr = 1;
    if (rs[0] < p2) nerr = 2;
    if (rs[0] < p3) nerr = 3;
    if (nerr >= 1) flip[rs[1] % FLIT_W] = 1'b1;
    if (nerr >= 2) flip[rs[2] % FLIT_W] = ~flip[rs[2] % FLIT_W];
    if (nerr >= 3) flip[rs[3] % FLIT_W] = ~flip[rs[3] % FLIT_W];
    blen = 6'd2 + rs[5][4:0] % 6'd31;
    bpat = (rs[6] | 32'h1 | (32'h1 << (blen - 1))) & ((blen == 6'd32) ? 32'hFFFFFFFF : ((32'h1 << blen) - 1));
    if (rs[4] < p_burst) flip = flip ^ ({{(FLIT_W-32){1'b0}}, bpat} << (rs[5][31:8] % (FLIT_W - 31)));
    garbage = gcat[FLIT_W-1:0];
  end

  // delay line
  reg [FLIT_W-1:0] dl_d [0:LAT-1];
  reg              dl_v [0:LAT-1];
  assign out_data  = dl_d[LAT-1];
  assign out_valid = dl_v[LAT-1];

  reg [FLIT_W-1:0] emit_d;
  reg              emit_v;
  always @(*) begin
    emit_v = 1'b0;
    emit_d = in_data;
    if (hit_dup) begin
      emit_v = 1'b1;
      emit_d = hist[dsel];
    end else if (hit_garb) begin
      emit_v = 1'b1;
      emit_d = garbage;
    end else if (take) begin
      if (killit) begin
        emit_v = kill_corrupt;
        emit_d = in_data ^ {{(FLIT_W-1){1'b0}}, 1'b1};
      end else begin
        emit_v = !(rs[11] < p_drop);
        emit_d = in_data ^ flip;
      end
    end
  end

  always @(posedge clk) begin
    if (!rst_n) begin
      for (k = 0; k < NR; k = k + 1) rs[k] <= xs32(seed ^ (32'h9E3779B9 * (k + 1))) | 32'h1;
      for (k = 0; k < LAT; k = k + 1) begin
        dl_v[k] <= 1'b0;
        dl_d[k] <= {FLIT_W{1'b0}};
      end
      for (k = 0; k < 4; k = k + 1) hist[k] <= {FLIT_W{1'b0}};
      nhist <= 3'd0;
      kill_left <= 16'd0;
      n_in <= 0; n_out <= 0; n_biterr <= 0; n_burst <= 0; n_drop <= 0;
      n_dup <= 0; n_garb <= 0; n_stall <= 0; n_kill <= 0;
    end else begin
      for (k = 0; k < NR; k = k + 1) rs[k] <= xs32(rs[k]);
      dl_v[0] <= emit_v;
      dl_d[0] <= emit_d;
      for (k = 1; k < LAT; k = k + 1) begin
        dl_v[k] <= dl_v[k-1];
        dl_d[k] <= dl_d[k-1];
      end
      if (emit_v) begin
        hist[0] <= emit_d;
        for (k = 1; k < 4; k = k + 1) hist[k] <= hist[k-1];
        if (nhist != 3'd4) nhist <= nhist + 1'b1;
      end
      if (kill_load) kill_left <= kill_cnt;
      else if (killit) kill_left <= kill_left - 1'b1;
      if (take) n_in <= n_in + 1;
      if (emit_v) n_out <= n_out + 1;
      if (take && !killit && nerr != 0) n_biterr <= n_biterr + 1;
      if (take && !killit && rs[4] < p_burst) n_burst <= n_burst + 1;
      if (take && !killit && rs[11] < p_drop) n_drop <= n_drop + 1;
      if (hit_dup) n_dup <= n_dup + 1;
      if (hit_garb) n_garb <= n_garb + 1;
      if (hit_stall && !hit_dup && !hit_garb) n_stall <= n_stall + 1;
      if (killit) n_kill <= n_kill + 1;
    end
  end
endmodule
`default_nettype wire
