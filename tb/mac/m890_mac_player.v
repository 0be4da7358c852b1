// SPDX-License-Identifier: Apache-2.0
// m890_mac_player -- TEST-ONLY wrapper (not synthesized): plays a stimulus memory through m890_mac at one
// word per cycle and logs every result, so bulk benches keep Python off the per-cycle path.
//
// Protocol (driven by cocotb): write n_vec and file_id, pulse start for one cycle. The player loads
// "mac_stim_<file_id>.hex" ($readmemh, cwd = the build directory), presents word k in play cycle k
// (word bit 127 = in_valid, so idle gaps are encoded in the stimulus), writes one line
// "<z hex> <flags hex> <cycle>" per out_valid to "mac_resp_<file_id>.txt", where <cycle> is the play cycle in
// which out_valid was seen (an operation issued in play cycle k comes out in play cycle k + LATENCY),
// drains, closes the file and raises done.
//
// Stimulus word: [127] valid, [126:124] rm, [123:120] fmt_a, [119:116] fmt_b, [113:112] scale_fmt,
//                [111:104] scale_a, [103:96] scale_b, [95:64] a, [63:32] b, [31:0] c.
`default_nettype none

module m890_mac_player #(
  parameter DEPTH = 131072,  // stimulus words per run
  parameter DRAIN = 16,      // cycles to wait for the pipeline to empty after the last word
  parameter NUM_PIPE_REGS = 3  // m890_mac's pipeline setting (latency NUM_PIPE_REGS + 2)
) (
  input  wire        clk,
  input  wire        rst_n,
  input  wire        start,
  input  wire [31:0] n_vec,
  input  wire [31:0] file_id,
  output reg         done,
  output reg  [31:0] n_out
);

  reg [127:0] mem [0:DEPTH-1];
  reg         playing;
  reg         draining;
  reg [31:0]  idx;
  reg [31:0]  cyc;
  reg [31:0]  drain;
  reg [8*64-1:0] fname;
  integer     fd;

  wire [127:0] w = mem[idx[$clog2(DEPTH)-1:0]];

  wire        out_valid;
  wire [31:0] out_z;
  wire [4:0]  out_flags;

  m890_mac #(.NUM_PIPE_REGS(NUM_PIPE_REGS)) u_mac (
    .clk          (clk),
    .rst_n        (rst_n),
    .in_valid     (playing & w[127]),
    .in_fmt_a     (w[123:120]),
    .in_fmt_b     (w[119:116]),
    .in_rm        (w[126:124]),
    .in_scale_fmt (w[113:112]),
    .in_scale_a   (w[111:104]),
    .in_scale_b   (w[103:96]),
    .in_a         (w[95:64]),
    .in_b         (w[63:32]),
    .in_c         (w[31:0]),
    .out_valid    (out_valid),
    .out_z        (out_z),
    .out_flags    (out_flags)
  );

  always @(posedge clk) begin
    if (!rst_n) begin
      playing <= 1'b0; draining <= 1'b0; done <= 1'b0; idx <= 32'd0; cyc <= 32'd0; n_out <= 32'd0;
    end else if (start && !playing && !draining) begin
      $sformat(fname, "mac_stim_%0d.hex", file_id);
      $readmemh(fname, mem, 0, n_vec - 1);
      $sformat(fname, "mac_resp_%0d.txt", file_id);
      fd = $fopen(fname, "w");
      playing <= 1'b1; done <= 1'b0; idx <= 32'd0; cyc <= 32'd0; n_out <= 32'd0;
    end else if (playing || draining) begin
      if (out_valid) begin
        $fwrite(fd, "%h %h %0d\n", out_z, out_flags, cyc);
        n_out <= n_out + 32'd1;
      end
      cyc <= cyc + 32'd1;
      if (playing) begin
        idx <= idx + 32'd1;
        if (idx == n_vec - 32'd1) begin playing <= 1'b0; draining <= 1'b1; drain <= 32'd0; end
      end else begin
        drain <= drain + 32'd1;
        if (drain == DRAIN) begin $fclose(fd); draining <= 1'b0; done <= 1'b1; end
      end
    end
  end

endmodule

`default_nettype wire
